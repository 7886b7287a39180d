using System.Text.Json.Serialization;

namespace Relay.Sqlite;

/// <summary>JSON handed to SQLite's json_each (lists bound as one parameter).</summary>
[JsonSerializable(typeof(string[]))]
internal sealed partial class SqliteJsonContext : JsonSerializerContext;
