namespace Relay.Core.Queue;

/// <summary>
/// A queued unit of work. <see cref="Id"/> is deterministic (e.g. "report.received:&lt;report id&gt;")
/// so a message sent twice is detected as a duplicate (Service Bus MessageId, SQLite primary key).
/// <see cref="NotBefore"/> delays delivery (deadlines).
/// </summary>
public sealed record QueueMessage(string Id, string Topic, string Body, DateTimeOffset? NotBefore = null);

/// <summary>One delivery of a message. Handlers must be idempotent: any message may come again.</summary>
public sealed record QueueDelivery(QueueMessage Message, int DeliveryCount, bool IsLastAttempt);
