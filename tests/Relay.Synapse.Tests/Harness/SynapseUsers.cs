using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace Relay.Synapse.Tests.Harness;

/// <summary>
/// Creates users through Synapse's shared-secret registration (what <c>register_new_matrix_user</c> does), each with a
/// fresh localpart, so runs against the same Synapse never meet each other's rooms.
/// </summary>
public sealed class SynapseUsers(SynapseTarget target, HttpClient http)
{
    private static readonly string Run = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3));
    private int _count;

    public async Task<MatrixUser> CreateAsync(string name, bool admin = false)
    {
        var localpart = $"{name}-{Run}-{Interlocked.Increment(ref _count)}";
        var register = new Uri(target.Url, "_synapse/admin/v1/register");
        var nonce = (string)(await Http.OkAsync(http, HttpMethod.Get, register, null))["nonce"]!;
        var password = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));
        // Synapse's shared-secret registration is defined with HMAC-SHA1; the choice is Synapse's, not ours.
#pragma warning disable CA5350
        var mac = HMACSHA1.HashData(Encoding.UTF8.GetBytes(target.SharedSecret),
            Encoding.UTF8.GetBytes(string.Join('\0', nonce, localpart, password, admin ? "admin" : "notadmin")));
#pragma warning restore CA5350
        var (status, body) = await Http.SendAsync(http, HttpMethod.Post, register, null, new JsonObject
        {
            ["nonce"] = nonce,
            ["username"] = localpart,
            ["password"] = password,
            ["admin"] = admin,
            ["mac"] = Convert.ToHexStringLower(mac),
        });
        if (status != 200)
        {
            throw new InvalidOperationException($"Synapse refused to register {localpart}: {body}");
        }
        return new MatrixUser(target.Url, (string)body["user_id"]!, (string)body["access_token"]!, http);
    }
}
