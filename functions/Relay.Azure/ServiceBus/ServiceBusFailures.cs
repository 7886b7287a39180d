using Azure;
using Azure.Messaging.ServiceBus;

namespace Relay.Azure.ServiceBus;

/// <summary>
/// Maps the SDK's failure reasons to the HTTP statuses the REST sender used to throw, so callers keep one
/// rule: a <see cref="RequestFailedException"/> means "not sent". Messages name the queue and the message
/// id, never the body or a credential.
/// </summary>
internal static class ServiceBusFailures
{
    public static RequestFailedException ToRequestFailed(ServiceBusException e, string messageId, string queue)
    {
        var status = e.Reason switch
        {
            ServiceBusFailureReason.MessagingEntityNotFound or ServiceBusFailureReason.MessagingEntityDisabled => 404,
            ServiceBusFailureReason.QuotaExceeded => 403,
            ServiceBusFailureReason.MessageSizeExceeded => 413,
            ServiceBusFailureReason.ServiceTimeout => 408,
            ServiceBusFailureReason.ServiceBusy or ServiceBusFailureReason.ServiceCommunicationProblem => 503,
            _ => 500,
        };
        return new RequestFailedException(status,
            $"Service Bus refused message {messageId} on queue '{queue}': {Describe(status)} ({e.Reason})", e.Reason.ToString(), e);
    }

    public static string Describe(int status) => status switch
    {
        401 => "not authorized (does the identity hold Azure Service Bus Data Sender?)",
        403 => "quota exceeded",
        404 => "the queue does not exist or is disabled (deploy infra-bicep)",
        408 => "timed out",
        413 => "message too large",
        503 => "busy or unreachable after the retries",
        _ => $"status {status}",
    };
}
