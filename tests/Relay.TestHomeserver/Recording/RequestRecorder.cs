namespace Relay.TestHomeserver.Recording;

/// <summary>Every request received and every spec violation found, in arrival order.</summary>
internal sealed class RequestRecorder
{
    private readonly Lock _gate = new();
    private readonly List<RecordedRequest> _requests = [];
    private readonly List<string> _violations = [];

    public IReadOnlyList<RecordedRequest> Requests
    {
        get
        {
            lock (_gate)
            {
                return [.. _requests];
            }
        }
    }

    public IReadOnlyList<string> Violations
    {
        get
        {
            lock (_gate)
            {
                return [.. _violations];
            }
        }
    }

    public void Record(RecordedRequest request)
    {
        lock (_gate)
        {
            _requests.Add(request);
        }
    }

    public void Violation(RecordedRequest request, string problem)
    {
        lock (_gate)
        {
            _violations.Add($"{request.Method} {request.Path}: {problem}");
        }
    }
}
