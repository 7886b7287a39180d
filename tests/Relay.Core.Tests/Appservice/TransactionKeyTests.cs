using System.Text;
using Relay.Core.Appservice;

namespace Relay.Core.Tests.Appservice;

public sealed class TransactionKeyTests
{
    private static readonly byte[] Body = Encoding.UTF8.GetBytes("""{"events":[{"type":"m.room.message"}]}""");

    [Fact]
    public void A_retried_transaction_has_the_same_key()
    {
        Assert.Equal(TransactionKey.For("42", Body), TransactionKey.For("42", [.. Body]));
    }

    [Fact]
    public void The_same_txn_id_with_another_body_is_another_transaction()
    {
        var restarted = Encoding.UTF8.GetBytes("""{"events":[{"type":"m.reaction"}]}""");

        Assert.NotEqual(TransactionKey.For("42", Body), TransactionKey.For("42", restarted));
        Assert.NotEqual(TransactionKey.For("42", Body), TransactionKey.For("43", Body));
    }

    [Fact]
    public void The_key_is_the_txn_id_and_a_128_bit_hash_in_hex()
    {
        var key = TransactionKey.For("txn 7", Body);

        Assert.StartsWith("txn 7 ", key, StringComparison.Ordinal);
        Assert.Matches("^[0-9a-f]{32}$", key["txn 7 ".Length..]);
    }
}
