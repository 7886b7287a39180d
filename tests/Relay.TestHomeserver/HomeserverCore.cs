using Relay.TestHomeserver.Auth;
using Relay.TestHomeserver.Faults;
using Relay.TestHomeserver.Recording;
using Relay.TestHomeserver.State;

namespace Relay.TestHomeserver;

/// <summary>The parts every endpoint shares: state, the appservice registration, recording and faults.</summary>
internal sealed class HomeserverCore(TestHomeserverOptions options, AppserviceRegistration appservice)
{
    private Uri? _appserviceUrl = options.AppserviceUrl;

    public TestHomeserverOptions Options { get; } = options;

    public string ServerName { get; } = options.ServerName;

    public AppserviceRegistration Appservice { get; } = appservice;

    public HomeserverState State { get; } = new(options.ServerName, options.TimeProvider);

    public RequestRecorder Recorder { get; } = new();

    public FaultInjector Faults { get; } = new();

    public Authenticator Authenticator => new(Appservice, State);

    public Uri? AppserviceUrl
    {
        get => Volatile.Read(ref _appserviceUrl);
        set => Volatile.Write(ref _appserviceUrl, value);
    }

    /// <summary>Outgoing calls to the appservice (transactions, pings).</summary>
    public HttpClient AppserviceHttp { get; } = new(new SocketsHttpHandler { UseProxy = false }) { Timeout = Timeout.InfiniteTimeSpan };
}
