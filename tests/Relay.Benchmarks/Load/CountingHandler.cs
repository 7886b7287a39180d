using System.Diagnostics;

namespace Relay.Benchmarks.Load;

/// <summary>
/// Every request Relay's HTTP clients send, in the order they were sent, with its status and when its response came back
/// (a Stopwatch timestamp; 0 while it has not).
/// </summary>
public sealed class RequestLog
{
    private readonly List<(string Method, string Path, int Status, long Started, long Answered)> _requests = [];

    public int Count
    {
        get
        {
            lock (_requests)
            {
                return _requests.Count;
            }
        }
    }

    /// <summary>A request about to be sent; its index, for <see cref="Answer"/>.</summary>
    public int Start(string method, string path)
    {
        lock (_requests)
        {
            _requests.Add((method, path, 0, Stopwatch.GetTimestamp(), 0));
            return _requests.Count - 1;
        }
    }

    /// <summary>Its answer (status 0: none, a timeout or a refused connection).</summary>
    public void Answer(int index, int status, long answered)
    {
        lock (_requests)
        {
            _requests[index] = _requests[index] with { Status = status, Answered = answered };
        }
    }

    /// <summary>The requests from index <paramref name="from"/> on that were sent before <paramref name="until"/>, and the last one's index.</summary>
    public (int Count, int Last) SentBefore(int from, long until)
    {
        lock (_requests)
        {
            var last = from - 1;
            for (var i = from; i < _requests.Count; i++)
            {
                if (_requests[i].Started <= until)
                {
                    last = i;
                }
            }
            return (_requests.Skip(from).Count(r => r.Started <= until), last);
        }
    }

    /// <summary>How many requests were answered with <paramref name="status"/>.</summary>
    public int WithStatus(int status)
    {
        lock (_requests)
        {
            return _requests.Count(r => r.Status == status);
        }
    }

    /// <summary>Requests [from, to] as method and the path's last two segments, to show what a case cost.</summary>
    public string Between(int from, int to)
    {
        lock (_requests)
        {
            return string.Join(", ", _requests.Skip(from).Take(to - from + 1)
                .Select(r => $"{r.Method} {string.Join('/', r.Path.Split('/').TakeLast(2))}"));
        }
    }

    /// <summary>The last <paramref name="n"/> requests, for a note that says what happened instead.</summary>
    public string Tail(int n)
    {
        lock (_requests)
        {
            return string.Join(", ", _requests.Skip(Math.Max(0, _requests.Count - n)).Select(r => $"{r.Method} {r.Path} {r.Status}"));
        }
    }

    /// <summary>The first answered request from index <paramref name="from"/> on that matches, and its index; null if none yet.</summary>
    public (int Index, long Answered)? Find(int from, Func<string, string, bool> match)
    {
        lock (_requests)
        {
            for (var i = from; i < _requests.Count; i++)
            {
                if (_requests[i].Answered != 0 && match(_requests[i].Method, _requests[i].Path))
                {
                    return (i, _requests[i].Answered);
                }
            }
            return null;
        }
    }
}

/// <summary>Added to each of Relay's HTTP clients, so a figure can count the homeserver requests a case costs.</summary>
public sealed class CountingHandler(RequestLog log) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var index = log.Start(request.Method.Method, request.RequestUri?.AbsolutePath ?? "");
        HttpResponseMessage response;
        try
        {
            response = await base.SendAsync(request, cancellationToken);
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException)
        {
            log.Answer(index, 0, Stopwatch.GetTimestamp());
            throw;
        }
        log.Answer(index, (int)response.StatusCode, Stopwatch.GetTimestamp());
        return response;
    }
}
