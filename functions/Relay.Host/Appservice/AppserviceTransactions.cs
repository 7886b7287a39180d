using System.Buffers;
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

    public async Task<IResult> PutTransactionAsync(string txnId, HttpRequest request, CancellationToken cancellationToken)
    {
        if (auth.Check(request) is { } denied)
        {
            return MatrixResults.Error(denied);
        }
        var (buffer, length) = await ReadBodyAsync(request, cancellationToken);
        string key;
        List<AppserviceEvent> events;
        try
        {
            var body = buffer.AsMemory(0, length);
            // The scan checks UTF-8 only inside strings it reads, which would fail half-way through the events
            // (a 500 the homeserver retries forever); Matrix requires valid UTF-8 throughout.
            if (!System.Text.Unicode.Utf8.IsValid(body.Span))
            {
                return MatrixResults.Error(MatrixError.NotJson("The transaction is not valid UTF-8."));
            }
            key = TransactionKey.For(txnId, body.Span);
            if (await log.IsProcessedAsync(key, cancellationToken))
            {
                logger.LogDebug("Transaction {TxnId} was processed before; acknowledged again", txnId);
                return MatrixResults.Empty();
            }
            if (!reader.TryRead(body, out events))
            {
                return MatrixResults.Error(MatrixError.NotJson("The transaction must be a JSON object."));
            }
        }
        catch (JsonException)
        {
            return MatrixResults.Error(MatrixError.NotJson("The transaction is not valid JSON."));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
        await processor.ProcessAsync(events, cancellationToken);
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

    /// <summary>The body in a pooled buffer (the caller returns it): transactions come often and can be large.</summary>
    private static async Task<(byte[] Buffer, int Length)> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(request.ContentLength is { } known and > 0 and < RelayAppLimits.MaxBody ? (int)known : 16 * 1024);
        var length = 0;
        try
        {
            while (true)
            {
                if (length == buffer.Length)
                {
                    var bigger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                    buffer.AsSpan(0, length).CopyTo(bigger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = bigger;
                }
                var read = await request.Body.ReadAsync(buffer.AsMemory(length), cancellationToken);
                if (read == 0)
                {
                    return (buffer, length);
                }
                length += read;
            }
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw;
        }
    }

    private static class RelayAppLimits
    {
        public const long MaxBody = Composition.RelayApp.MaxRequestBodyBytes;
    }
}
