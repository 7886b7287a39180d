using System.Globalization;
using System.Text;

namespace Relay.Benchmarks.Transactions;

/// <summary>
/// Transaction bodies as a homeserver pushes them (Synapse's shape): ordinary room messages, which Relay
/// reads past without acting on. Built once, so every benchmark reads the same bytes.
/// </summary>
public static class TransactionSamples
{
    public static byte[] OrdinaryMessages(int count)
    {
        var json = new StringBuilder("{\"events\":[");
        for (var i = 0; i < count; i++)
        {
            if (i > 0)
            {
                json.Append(',');
            }
            var n = i.ToString(CultureInfo.InvariantCulture);
            var member = (i % 31).ToString(CultureInfo.InvariantCulture);
            json.Append("{\"type\":\"m.room.message\",\"room_id\":\"!lounge").Append(i % 7).Append(":example.org\",")
                .Append("\"sender\":\"@member").Append(member).Append(":example.org\",")
                .Append("\"content\":{\"msgtype\":\"m.text\",\"body\":\"Message ").Append(n)
                .Append(": has anyone tried the new release? It fixed the \\\"sync\\\" bug for me \\u2764\",")
                .Append("\"format\":\"org.matrix.custom.html\",\"formatted_body\":\"<p>Message ").Append(n)
                .Append(": has anyone tried the new release?</p>\",\"m.mentions\":{}},")
                .Append("\"origin_server_ts\":").Append(1767225600000L + i).Append(',')
                .Append("\"unsigned\":{\"age\":").Append(120 + i).Append(",\"transaction_id\":\"m").Append(n).Append(".1\"},")
                .Append("\"event_id\":\"$ev").Append(i.ToString("D4", CultureInfo.InvariantCulture))
                .Append("AbCdEfGhIjKlMnOpQrStUvWxYz0123456789ab\",")
                .Append("\"user_id\":\"@member").Append(member).Append(":example.org\",\"age\":").Append(120 + i).Append('}');
        }
        json.Append("],\"ephemeral\":[],\"de.sorunome.msc2409.to_device\":[]}");
        return Encoding.UTF8.GetBytes(json.ToString());
    }
}
