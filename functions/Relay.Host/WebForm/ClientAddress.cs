using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.HttpOverrides;

namespace Relay.Host.WebForm;

/// <summary>
/// The web form's idea of who is asking: the connection's address, an IPv6 client by its /64 (one home or phone
/// gets a whole /64, so counting single IPv6 addresses would not limit anyone). Behind a proxy every request
/// comes from the proxy, unless <c>Relay__Http__TrustForwardedFor</c> is on and the proxy is on this machine.
/// </summary>
public static class ClientAddress
{
    public const string TrustForwardedForKey = "Relay:Http:TrustForwardedFor";

    public static string Of(HttpContext context) => context.Connection.RemoteIpAddress switch
    {
        null => "unknown",
        { IsIPv4MappedToIPv6: true } mapped => mapped.MapToIPv4().ToString(),
        { AddressFamily: AddressFamily.InterNetworkV6 } v6 => Prefix64(v6),
        var v4 => v4.ToString(),
    };

    /// <summary>
    /// Takes the last <c>X-Forwarded-For</c> entry (the one the nearest proxy added; earlier ones are the client's
    /// own claims) only from a loopback peer: the Functions host, or a reverse proxy on the same machine.
    /// </summary>
    public static WebApplication UseForwardedForIfTrusted(this WebApplication app)
    {
        if (bool.TryParse(app.Configuration[TrustForwardedForKey], out var trusted) && trusted)
        {
            var options = new ForwardedHeadersOptions { ForwardedHeaders = ForwardedHeaders.XForwardedFor, ForwardLimit = 1 };
            options.KnownProxies.Clear();
            options.KnownIPNetworks.Clear();
            options.KnownIPNetworks.Add(System.Net.IPNetwork.Parse("127.0.0.0/8"));
            options.KnownProxies.Add(IPAddress.IPv6Loopback);
            app.UseForwardedHeaders(options);
        }
        return app;
    }

    private static string Prefix64(IPAddress address)
    {
        var bytes = address.GetAddressBytes();
        bytes.AsSpan(8).Clear();
        return new IPAddress(bytes) + "/64";
    }
}
