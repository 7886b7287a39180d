using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using Relay.Core.Queue;

namespace Relay.Azure.ServiceBus;

/// <summary>
/// Sends queue messages with the Service Bus REST API (<c>POST https://{namespace}/{queue}/messages</c>,
/// answered 201), authenticated with an Entra ID bearer token for <see cref="ServiceBusQueueOptions.Scope"/>.
/// <c>BrokerProperties.MessageId</c> is the message's deterministic id, so a resend within the queue's
/// duplicate-detection window is dropped by Service Bus: the "already queued" rule of <see cref="ICaseQueue"/>.
/// <see cref="QueueMessage.NotBefore"/> becomes <c>ScheduledEnqueueTimeUtc</c>, rounded up to the second
/// RFC 1123 can say, so a deadline never fires early.
/// </summary>
public sealed class ServiceBusCaseQueue : ICaseQueue
{
    /// <summary>Service Bus caps MessageId at 128 characters.</summary>
    private const int MaxMessageIdLength = 128;

    private readonly HttpPipeline _pipeline;
    private readonly Uri _endpoint;

    /// <param name="endpoint">https://{namespace}.servicebus.windows.net/</param>
    public ServiceBusCaseQueue(Uri endpoint, TokenCredential credential, ServiceBusQueueOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        _endpoint = endpoint.AbsoluteUri.EndsWith('/') ? endpoint : new Uri(endpoint.AbsoluteUri + "/");
        _pipeline = HttpPipelineBuilder.Build(options ?? new ServiceBusQueueOptions(),
            new BearerTokenAuthenticationPolicy(credential, ServiceBusQueueOptions.Scope));
    }

    /// <summary>The namespace endpoint from a fully qualified namespace such as <c>relay.servicebus.windows.net</c>.</summary>
    public static Uri EndpointFor(string fullyQualifiedNamespace) =>
        new($"https://{fullyQualifiedNamespace.Trim().TrimEnd('/')}/");

    public async Task EnqueueAsync(QueueMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(message.Id);
        var queue = QueueBindings.ForTopic(message.Topic).QueueName;
        using var request = _pipeline.CreateRequest();
        request.Method = RequestMethod.Post;
        request.Uri.Reset(new Uri(_endpoint, $"{queue}/messages"));
        request.Headers.Add(HttpHeader.Names.ContentType, "application/json;charset=utf-8");
        request.Headers.Add("BrokerProperties", BrokerPropertiesFor(message));
        request.Content = RequestContent.Create(Encoding.UTF8.GetBytes(message.Body));
        using var response = await _pipeline.SendRequestAsync(request, cancellationToken);
        if (response.Status != 201)
        {
            throw new RequestFailedException(response.Status,
                $"Service Bus refused message {message.Id} on queue '{queue}': {Describe(response.Status)}");
        }
    }

    internal static string BrokerPropertiesFor(QueueMessage message)
    {
        var properties = new BrokerProperties(MessageIdFor(message.Id), message.Topic,
            message.NotBefore is { } due ? Rfc1123RoundedUp(due) : null);
        return JsonSerializer.Serialize(properties, ServiceBusJsonContext.Default.BrokerProperties);
    }

    /// <summary>Long ids keep their start for the operator and end in a hash of the whole, staying unique.</summary>
    internal static string MessageIdFor(string id)
    {
        if (id.Length <= MaxMessageIdLength)
        {
            return id;
        }
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(id)));
        return id[..(MaxMessageIdLength - hash.Length - 1)] + "~" + hash;
    }

    internal static string Rfc1123RoundedUp(DateTimeOffset time)
    {
        var utc = time.ToUniversalTime();
        var whole = new DateTimeOffset(utc.Ticks - utc.Ticks % TimeSpan.TicksPerSecond, TimeSpan.Zero);
        return (whole < utc ? whole.AddSeconds(1) : whole).ToString("R", CultureInfo.InvariantCulture);
    }

    private static string Describe(int status) => status switch
    {
        400 => "bad request",
        401 => "not authorized (does the identity hold Azure Service Bus Data Sender?)",
        403 => "quota exceeded or message too large",
        404 or 410 => "the queue does not exist (deploy infra-bicep)",
        _ => $"status {status}",
    };
}

/// <summary>The <c>BrokerProperties</c> header; Service Bus ignores what it does not know and defaults what is omitted.</summary>
internal sealed record BrokerProperties(
    [property: JsonPropertyName("MessageId")] string MessageId,
    [property: JsonPropertyName("Label")] string Label,
    [property: JsonPropertyName("ScheduledEnqueueTimeUtc"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    string? ScheduledEnqueueTimeUtc);

[JsonSerializable(typeof(BrokerProperties))]
internal sealed partial class ServiceBusJsonContext : JsonSerializerContext;
