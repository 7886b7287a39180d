using Relay.Azure.Tables;
using Relay.Core.Identifiers;

namespace Relay.Tests.Azure;

/// <summary>The appservice tables on Table Storage behave as the SQLite ones do.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class TableStorageAppserviceStoreTests(AzuriteFixture azurite)
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private async Task<TableStorageAppserviceStore> OpenAsync()
    {
        var store = new TableStorageAppserviceStore(azurite.Service, "relay", AzuriteFixture.UniquePrefix());
        await store.CreateTablesAsync();
        return store;
    }

    [Fact]
    public async Task Processed_transactions_are_remembered_for_the_keep_period_only()
    {
        var store = await OpenAsync();
        await store.MarkProcessedAsync("1 abc", Now, TimeSpan.FromHours(1));
        await store.MarkProcessedAsync("1 abc", Now, TimeSpan.FromHours(1));

        Assert.True(await store.IsProcessedAsync("1 abc"));
        Assert.False(await store.IsProcessedAsync("1 def"));
        await store.MarkProcessedAsync("2 xyz/#?", Now.AddHours(2), TimeSpan.FromHours(1));
        Assert.False(await store.IsProcessedAsync("1 abc"));
        Assert.True(await store.IsProcessedAsync("2 xyz/#?"));
    }

    [Fact]
    public async Task Protected_rooms_keep_their_first_record_and_list_newest_first()
    {
        var store = await OpenAsync();
        var first = RoomId.Parse("!first#?:example.org");
        var second = RoomId.Parse("!second:example.org");
        var mod = UserId.Parse("@mod:example.org");
        await store.ProtectAsync(first, mod, Now);
        await store.ProtectAsync(second, mod, Now.AddMinutes(1));
        await store.ProtectAsync(first, mod, Now.AddMinutes(2));

        Assert.Equal([second, first], await store.ListAsync(10));
        Assert.Equal([second], await store.ListAsync(1));
        await store.UnprotectAsync(second);
        await store.UnprotectAsync(second);
        Assert.False(await store.IsProtectedAsync(second));
        Assert.True(await store.IsProtectedAsync(first));
    }

    [Fact]
    public async Task Direct_rooms_are_found_from_either_side_and_replaced_on_both()
    {
        var store = await OpenAsync();
        var alice = UserId.Parse("@alice:example.org");
        var bob = UserId.Parse("@bob:example.org");
        var dm1 = RoomId.Parse("!dm1:example.org");
        var dm2 = RoomId.Parse("!dm2:example.org");
        await store.RecordAsync(alice, dm1, Now);

        Assert.Equal(dm1, await store.FindRoomAsync(alice));
        Assert.Equal(alice, await store.FindUserAsync(dm1));
        await store.RecordAsync(alice, dm2, Now);
        Assert.Equal(dm2, await store.FindRoomAsync(alice));
        Assert.Null(await store.FindUserAsync(dm1));
        await store.RecordAsync(bob, dm2, Now);
        Assert.Null(await store.FindRoomAsync(alice));
        Assert.Equal(bob, await store.FindUserAsync(dm2));
        await store.ForgetAsync(dm2);
        await store.ForgetAsync(dm2);
        Assert.Null(await store.FindRoomAsync(bob));
        Assert.Null(await store.FindUserAsync(dm2));
    }
}
