namespace Relay.Core.Appservice;

/// <summary>
/// The appservice transactions already processed, so a homeserver's retry is acknowledged without
/// reprocessing. Keys are the txnId together with a hash of the body (see <see cref="TransactionKey"/>):
/// a homeserver that restarts its counter reuses ids for new transactions, which must still be processed.
/// </summary>
public interface ITransactionLog
{
    Task<bool> IsProcessedAsync(string transactionKey, CancellationToken cancellationToken = default);

    /// <summary>Records the transaction and forgets those older than <paramref name="keepFor"/>.</summary>
    Task MarkProcessedAsync(string transactionKey, DateTimeOffset at, TimeSpan keepFor, CancellationToken cancellationToken = default);
}
