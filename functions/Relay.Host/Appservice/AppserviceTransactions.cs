using System.Text.Json;
using Microsoft.Extensions.Options;
using Relay.Core.Appservice;
using Relay.Core.Errors;
using Relay.Core.Identifiers;
using Relay.Host.Bot;
using Relay.Host.Configuration;
using Relay.Host.Http;

namespace Relay.Host.Appservice;

/// <summary>
/// The appservice API served to the homeserver: transactions, ping, and the user and room queries.
/// A transaction is acknowledged only after every report in it is stored and its follow-up work queued;
/// a transaction seen before (same id and same body) is acknowledged without reprocessing.
/// </summary>
public sealed class AppserviceTransactions(
    HsTokenAuth auth,
    TransactionReader reader,
    TransactionProcessor processor,
    ITransactionLog log,
    IOptions<RelayOptions> options,
    TimeProvider time,
    ILogger<AppserviceTransactions> logger)
{
    /// <summary>How long a processed transaction is remembered; homeservers retry within minutes, not days.</summary>
    public static readonly TimeSpan RememberFor = TimeSpan.FromDays(7);

    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 64 };

    public async Task<IResult> PutTransactionAsync(string txnId, HttpRequest request, CancellationToken cancellationToken)
    {
        if (auth.Check(request) is { } denied)
        {
            return MatrixResults.Error(denied);
        }
        var body = await ReadBodyAsync(request, cancellationToken);
        // JsonDocument checks UTF-8 inside strings only when they are read, which would throw half-way through the
        // events (a 500 the homeserver retries forever); Matrix requires valid UTF-8 throughout.
        if (!System.Text.Unicode.Utf8.IsValid(body.Span))
        {
            return MatrixResults.Error(MatrixError.NotJson("The transaction is not valid UTF-8."));
        }
        var key = TransactionKey.For(txnId, body.Span);
        if (await log.IsProcessedAsync(key, cancellationToken))
        {
            logger.LogDebug("Transaction {TxnId} was processed before; acknowledged again", txnId);
            return MatrixResults.Empty();
        }
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body, DocumentOptions);
        }
        catch (JsonException)
        {
            return MatrixResults.Error(MatrixError.NotJson("The transaction is not valid JSON."));
        }
        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return MatrixResults.Error(MatrixError.NotJson("The transaction must be a JSON object."));
            }
            var events = reader.Read(document.RootElement);
            await processor.ProcessAsync(events, cancellationToken);
        }
        await log.MarkProcessedAsync(key, time.GetUtcNow(), RememberFor, cancellationToken);
        return MatrixResults.Empty();
    }

    public IResult Ping(HttpRequest request)
    {
        if (auth.Check(request) is { } denied)
        {
            return MatrixResults.Error(denied);
        }
        logger.LogInformation("The homeserver pinged Relay");
        return MatrixResults.Empty();
    }

    /// <summary>Relay's only user is its bot, which the homeserver registers itself; Relay creates no others on demand.</summary>
    public IResult QueryUser(string userId, HttpRequest request)
    {
        if (auth.Check(request) is { } denied)
        {
            return MatrixResults.Error(denied);
        }
        return UserId.TryParse(userId, out var user) && user == BotServices.BotUserId(options.Value)
            ? MatrixResults.Empty()
            : MatrixResults.Error(MatrixError.NotFound("Relay does not provide this user."));
    }

    /// <summary>Case rooms are created with their aliases by Relay itself, never on demand, so a queried alias does not exist.</summary>
    public IResult QueryRoom(string alias, HttpRequest request)
    {
        if (auth.Check(request) is { } denied)
        {
            return MatrixResults.Error(denied);
        }
        return MatrixResults.Error(MatrixError.NotFound("Relay does not provide this room alias."));
    }

    private static async Task<ReadOnlyMemory<byte>> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream(request.ContentLength is { } length and < RelayAppLimits.MaxBody ? (int)length : 16 * 1024);
        await request.Body.CopyToAsync(buffer, cancellationToken);
        return buffer.GetBuffer().AsMemory(0, (int)buffer.Length);
    }

    private static class RelayAppLimits
    {
        public const long MaxBody = Composition.RelayApp.MaxRequestBodyBytes;
    }
}
