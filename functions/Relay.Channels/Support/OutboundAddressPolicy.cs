using System.Net;
using System.Net.Sockets;

namespace Relay.Channels.Support;

/// <summary>
/// Which addresses Relay may connect to when a reporter, not the operator, chose the host (a reported user's server
/// for <c>/.well-known/matrix/support</c>): public unicast only. Loopback, private, link-local, shared (CGNAT),
/// documentation, benchmark, multicast and reserved ranges are refused, IPv4 inside IPv6 (mapped, NAT64, 6to4)
/// by its IPv4 address. <see cref="AllowingLoopback"/> exists for tests, whose servers listen on 127.0.0.1.
/// </summary>
public sealed class OutboundAddressPolicy
{
    private static readonly IPNetwork[] NotPublic = [.. new[]
    {
        "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12", "192.0.0.0/24",
        "192.0.2.0/24", "192.88.99.0/24", "192.168.0.0/16", "198.18.0.0/15", "198.51.100.0/24", "203.0.113.0/24", "224.0.0.0/4",
        "240.0.0.0/4", "::/128", "::1/128", "100::/64", "2001::/23", "2001:db8::/32", "fc00::/7", "fe80::/10", "fec0::/10", "ff00::/8",
    }.Select(IPNetwork.Parse)];

    private static readonly IPNetwork Nat64 = IPNetwork.Parse("64:ff9b::/96");
    private static readonly IPNetwork SixToFour = IPNetwork.Parse("2002::/16");

    private readonly bool _loopback;

    private OutboundAddressPolicy(bool loopback) => _loopback = loopback;

    /// <summary>Production: public unicast addresses only.</summary>
    public static OutboundAddressPolicy PublicOnly { get; } = new(loopback: false);

    /// <summary>Public addresses and loopback: for tests only, never registered by Relay itself.</summary>
    public static OutboundAddressPolicy AllowingLoopback { get; } = new(loopback: true);

    public bool IsAllowed(IPAddress address)
    {
        var v4 = Embedded(address);
        if (_loopback && IPAddress.IsLoopback(v4))
        {
            return true;
        }
        return !NotPublic.Any(range => range.BaseAddress.AddressFamily == v4.AddressFamily && range.Contains(v4));
    }

    /// <summary>
    /// Resolves <paramref name="host"/> and connects to the first allowed address that answers: the address checked is
    /// the address used, so a name that resolves differently a moment later (DNS rebinding) gains nothing.
    /// </summary>
    public async ValueTask<Stream> ConnectAsync(DnsEndPoint endPoint, CancellationToken cancellationToken)
    {
        var host = endPoint.Host.Trim('[', ']');
        IPAddress[] addresses = IPAddress.TryParse(host, out var literal) ? [literal] : await Dns.GetHostAddressesAsync(host, cancellationToken);
        var allowed = addresses.Where(IsAllowed).ToList();
        if (allowed.Count == 0)
        {
            throw new RefusedAddressException(addresses.Length == 0 ? "resolves to no address" : "resolves only to non-public addresses");
        }
        Exception? last = null;
        foreach (var address in allowed)
        {
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(address, endPoint.Port), cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch (SocketException e)
            {
                socket.Dispose();
                last = e;
            }
        }
        throw last!;
    }

    /// <summary>A handler that connects only where this policy allows, through no proxy (a proxy would resolve the name itself).</summary>
    public SocketsHttpHandler Handler(TimeSpan connectTimeout) => new()
    {
        AllowAutoRedirect = false,
        UseCookies = false,
        UseProxy = false,
        ConnectTimeout = connectTimeout,
        ConnectCallback = (context, cancellationToken) => ConnectAsync(context.DnsEndPoint, cancellationToken),
    };

    private static IPAddress Embedded(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            return address.MapToIPv4();
        }
        if (address.AddressFamily == AddressFamily.InterNetworkV6 && (Nat64.Contains(address) || SixToFour.Contains(address)))
        {
            var bytes = address.GetAddressBytes();
            return new IPAddress(Nat64.Contains(address) ? bytes.AsSpan(12, 4) : bytes.AsSpan(2, 4));
        }
        return address;
    }
}

/// <summary>The host of a support lookup resolves to no address Relay may connect to: an answer, not an outage.</summary>
public sealed class RefusedAddressException(string why) : Exception(why);
