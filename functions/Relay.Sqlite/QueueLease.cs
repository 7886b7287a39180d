using Relay.Core.Queue;

namespace Relay.Sqlite;

/// <summary>
/// A received message, hidden from other receivers until <see cref="LockedUntil"/>. Settle it with
/// complete, abandon or dead-letter; <see cref="LeaseToken"/> makes a settle after the lease was
/// lost (expired and received again) a no-op instead of touching someone else's delivery.
/// </summary>
public sealed record QueueLease(QueueMessage Message, int DeliveryCount, string LeaseToken, DateTimeOffset LockedUntil);

/// <summary>A message that will not be retried, kept with why, for an operator to inspect.</summary>
public sealed record DeadLetter(QueueMessage Message, int DeliveryCount, string Reason, DateTimeOffset DeadLetteredAt);
