using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Reflection;
using Azure.Messaging.ServiceBus;
using Microsoft.Azure.Amqp;
using Microsoft.Azure.Amqp.Framing;
using Microsoft.Azure.Amqp.Sasl;
using Microsoft.Azure.Amqp.Transport;
using Relay.Azure.ServiceBus;

namespace Relay.TestServiceBus;

/// <summary>
/// An AMQP 1.0 broker on loopback (plain AMQP, port 0) that does what <c>Azure.Messaging.ServiceBus</c> needs of
/// Service Bus to send: SASL with the SDK's <c>MSSBCBS</c> mechanism, the <c>$cbs</c> put-token exchange (a queue
/// link is only attached after a token for it), one receiving link per queue, and an outcome per message. Accepted
/// messages go to <see cref="BrokerQueues"/>, which drops duplicates by MessageId within a window. Failures are
/// injected per message (<see cref="Inject"/>) or by deleting a queue. Connect with <see cref="ConnectionString"/>:
/// <c>UseDevelopmentEmulator=true</c> makes the SDK speak plain AMQP to the port it names.
/// </summary>
public sealed class TestServiceBusBroker : IRuntimeProvider, IAsyncDisposable
{
    public const string ServerBusy = "com.microsoft:server-busy";
    private const string Cbs = "$cbs";

    private readonly AmqpSettings _settings = new() { RequireSecureTransport = false, AllowAnonymousConnection = true };
    private readonly ConcurrentDictionary<AmqpConnection, Peer> _peers = new();
    private readonly ConcurrentQueue<BrokerFault> _faults = new();
    private readonly ConcurrentDictionary<string, bool> _queues;
    private readonly AmqpTransportListener _listener;
    private int _connections;

    public TestServiceBusBroker(TimeProvider time, TimeSpan? duplicateWindow = null, IEnumerable<string>? queues = null)
    {
        // infra-bicep sets duplicateDetectionHistoryTimeWindow to PT1H.
        Queues = new BrokerQueues(time, duplicateWindow ?? TimeSpan.FromHours(1));
        _queues = new((queues ?? QueueBindings.All.Select(b => b.QueueName)).Select(q => KeyValuePair.Create(q, true)));
        _settings.RuntimeProvider = this;
        var sasl = new SaslTransportProvider();
        sasl.Versions.Add(new AmqpVersion(1, 0, 0));
        sasl.AddHandler(new SaslAnonymousHandler("MSSBCBS"));
        sasl.AddHandler(new SaslAnonymousHandler());
        _settings.TransportProviders.Add(sasl);
        var amqp = new AmqpTransportProvider();
        amqp.Versions.Add(new AmqpVersion(1, 0, 0));
        _settings.TransportProviders.Add(amqp);
        var tcp = new TcpTransportSettings { Host = IPAddress.Loopback.ToString(), Port = 0 }.CreateListener();
        _listener = new AmqpTransportListener([tcp], _settings);
        _listener.Open();
        _listener.Listen(OnTransportAccepted);
        Port = BoundPort(tcp);
    }

    public BrokerQueues Queues { get; }

    public int Port { get; }

    /// <summary>The key is never checked: the broker only requires that a token was presented.</summary>
    public string ConnectionString =>
        $"Endpoint=sb://127.0.0.1:{Port};SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=dGVzdA==;UseDevelopmentEmulator=true";

    /// <summary>A client as Relay builds one, retrying without real waiting.</summary>
    public ServiceBusClient Client(int maxRetries = 3)
    {
        var options = ServiceBusClients.DefaultOptions();
        options.RetryOptions.MaxRetries = maxRetries;
        options.RetryOptions.Delay = TimeSpan.FromMilliseconds(1);
        options.RetryOptions.MaxDelay = TimeSpan.FromMilliseconds(5);
        options.RetryOptions.TryTimeout = TimeSpan.FromSeconds(10);
        return ServiceBusClients.Create(ConnectionString, options);
    }

    public int ConnectionsAccepted => Volatile.Read(ref _connections);

    /// <summary>Every put-token request: its type and audience.</summary>
    public ConcurrentQueue<(string? Type, string Audience)> Tokens { get; } = new();

    /// <summary>Answer put-token with 401, as Service Bus does for an identity without a role.</summary>
    public bool RefuseTokens { get; set; }

    /// <summary>The next messages sent (to any queue) meet these faults, one each, in order.</summary>
    public void Inject(params BrokerFault[] faults) => Array.ForEach(faults, _faults.Enqueue);

    public void DeleteQueue(string queue) => _queues.TryRemove(queue, out _);

    private void OnTransportAccepted(TransportListener listener, TransportAsyncCallbackArgs args)
    {
        if (args.Exception is not null)
        {
            return;
        }
        var connection = CreateConnection(args.Transport, (ProtocolHeader)args.UserToken, false, _settings,
            new AmqpConnectionSettings { ContainerId = "relay-test-broker", MaxFrameSize = 65536 });
        Interlocked.Increment(ref _connections);
        _peers[connection] = new Peer();
        connection.Closed += (_, _) => _peers.TryRemove(connection, out _);
        connection.OpenAsync(TimeSpan.FromSeconds(10)).ContinueWith(t => connection.SafeClose(t.Exception),
            CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
    }

    public AmqpConnection CreateConnection(TransportBase transport, ProtocolHeader protocolHeader, bool isInitiator,
        AmqpSettings amqpSettings, AmqpConnectionSettings connectionSettings) =>
        new(transport, protocolHeader, isInitiator, amqpSettings, connectionSettings) { SessionFactory = this };

    public AmqpSession CreateSession(AmqpConnection connection, AmqpSessionSettings settings) => new(connection, settings, this);

    public AmqpLink CreateLink(AmqpSession session, AmqpLinkSettings settings)
    {
        if (settings.IsReceiver())
        {
            settings.TotalLinkCredit = 100;
            settings.AutoSendFlow = true;
            // Standard tier's limit, which the SDK checks before sending.
            settings.MaxMessageSize = 256 * 1024;
            return new ReceivingAmqpLink(session, settings);
        }
        return new SendingAmqpLink(session, settings);
    }

    public IAsyncResult BeginOpenLink(AmqpLink link, TimeSpan timeout, AsyncCallback callback, object state)
    {
        var opened = new TaskCompletionSource(state);
        try
        {
            Attach(link);
            opened.SetResult();
        }
        catch (AmqpException e)
        {
            opened.SetException(e);
        }
        opened.Task.ContinueWith(t => callback(t), TaskScheduler.Default);
        return opened.Task;
    }

    public void EndOpenLink(IAsyncResult result) => ((Task)result).GetAwaiter().GetResult();

    private void Attach(AmqpLink link)
    {
        var peer = _peers[link.Session.Connection];
        if (link is SendingAmqpLink sending)
        {
            // The broker only takes messages in; the one link it sends on carries $cbs replies.
            peer.CbsReplies = Address(link.Settings.Source) == Cbs
                ? sending
                : throw new AmqpException(AmqpErrorCode.NotImplemented, "The test broker does not deliver messages.");
            return;
        }
        var receiving = (ReceivingAmqpLink)link;
        var address = Address(link.Settings.Target);
        if (address == Cbs)
        {
            receiving.RegisterMessageListener(m => OnPutToken(receiving, peer, m));
            return;
        }
        var queue = address.TrimStart('/');
        if (!_queues.ContainsKey(queue))
        {
            throw new AmqpException(AmqpErrorCode.NotFound, $"The messaging entity '{queue}' could not be found.");
        }
        if (!peer.Audiences.Any(a => a.EndsWith("/" + queue, StringComparison.Ordinal)))
        {
            throw new AmqpException(AmqpErrorCode.UnauthorizedAccess, $"No token for '{queue}' was put on $cbs.");
        }
        receiving.RegisterMessageListener(m => OnMessage(receiving, queue, m));
    }

    private void OnPutToken(ReceivingAmqpLink link, Peer peer, AmqpMessage request)
    {
        link.DisposeMessage(request, AmqpConstants.AcceptedOutcome, true, false);
        request.ApplicationProperties.Map.TryGetValue<string>("type", out var type);
        request.ApplicationProperties.Map.TryGetValue<string>("name", out var audience);
        Tokens.Enqueue((type, audience ?? ""));
        if (!RefuseTokens && audience is not null)
        {
            peer.Audiences.Add(audience);
        }
        var response = AmqpMessage.Create();
        response.Properties.CorrelationId = request.Properties.MessageId;
        response.ApplicationProperties.Map["status-code"] = RefuseTokens ? 401 : 202;
        response.ApplicationProperties.Map["status-description"] = RefuseTokens ? "Unauthorized" : "Accepted";
        peer.CbsReplies?.SendMessageNoWait(response, new ArraySegment<byte>(Guid.NewGuid().ToByteArray()), AmqpConstants.NullBinary);
    }

    private void OnMessage(ReceivingAmqpLink link, string queue, AmqpMessage message)
    {
        using var _ = message;
        var fault = _faults.TryDequeue(out var next) ? next : (BrokerFault?)null;
        if (fault == BrokerFault.DropConnection)
        {
            link.Session.Connection.Abort();
            return;
        }
        var error = fault == BrokerFault.ServerBusy
            ? new Error { Condition = ServerBusy, Description = "The server is busy. Please try again later." }
            : _queues.ContainsKey(queue) && fault != BrokerFault.EntityNotFound ? null
            : new Error { Condition = AmqpErrorCode.NotFound, Description = $"The messaging entity '{queue}' could not be found." };
        if (error is null)
        {
            Queues.Accept(queue, BrokerMessage.From(message));
        }
        link.DisposeMessage(message, error is null ? AmqpConstants.AcceptedOutcome : new Rejected { Error = error }, true, false);
    }

    private static string Address(object? terminus) => terminus switch
    {
        Target t => t.Address?.ToString() ?? "",
        Source s => s.Address?.ToString() ?? "",
        _ => "",
    };

    /// <summary>TcpTransportListener does not say which port 0 became; its socket does.</summary>
    private static int BoundPort(TransportListener tcp)
    {
        var sockets = (Socket[])tcp.GetType().GetField("listenSockets", BindingFlags.Instance | BindingFlags.NonPublic)!.GetValue(tcp)!;
        return ((IPEndPoint)sockets[0].LocalEndPoint!).Port;
    }

    public ValueTask DisposeAsync()
    {
        foreach (var connection in _peers.Keys)
        {
            connection.Abort();
        }
        _listener.Close();
        return ValueTask.CompletedTask;
    }

    private sealed class Peer
    {
        public ConcurrentBag<string> Audiences { get; } = [];

        public SendingAmqpLink? CbsReplies { get; set; }
    }
}

public enum BrokerFault
{
    ServerBusy,
    EntityNotFound,
    DropConnection,
}
