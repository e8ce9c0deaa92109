using System;
using System.Threading;
using Microsoft.Extensions.Logging;

namespace PoolGen;

/// <summary>
/// Logs one kind of failure of one pool without flooding: the first of a run of identical failures (same exception
/// type and message) in full, with its exception; the rest of the run as one summary line per interval, with a count.
/// While a database is down every rent fails the same way, and one line per rent would bury everything else.
/// </summary>
internal sealed class FailureLog
{
    /// <summary>How long a run of identical failures is summarised in one line.</summary>
    public const int SummaryIntervalMs = 10_000;

    private readonly object _lock = new();
    private readonly ILogger _logger;
    private readonly string _pool;
    private readonly string _subject;
    private readonly Action<ILogger, string, string, Exception> _logFirst;

    private string? _key;
    private long _windowStartMs;
    private int _repeats;
    private string? _latest;

    /// <param name="logger">Where to log.</param>
    /// <param name="pool">The pool's name.</param>
    /// <param name="subject">What failed, as the summary line says it, e.g. "opening a connection".</param>
    /// <param name="logFirst">Logs the first failure of a run in full: logger, pool, description, exception.</param>
    public FailureLog(ILogger logger, string pool, string subject, Action<ILogger, string, string, Exception> logFirst)
    {
        _logger = logger;
        _pool = pool;
        _subject = subject;
        _logFirst = logFirst;
    }

    /// <summary>Reports a failure: logged in full when it starts a run, counted otherwise.</summary>
    /// <param name="failure">What failed, which decides whether it repeats the run.</param>
    /// <param name="nowMs">The pool's clock.</param>
    /// <param name="logged">The exception to attach to the full line; <paramref name="failure"/> when null.</param>
    /// <param name="kind">
    /// What makes two failures the same, when their messages differ in numbers only (a timeout's elapsed time); by
    /// default the exception's type and message.
    /// </param>
    public void Report(Exception failure, long nowMs, Exception? logged = null, string? kind = null)
    {
        if (!_logger.IsEnabled(LogLevel.Warning))
        {
            return;
        }

        string key = kind ?? failure.GetType().FullName + ": " + failure.Message;
        string described = failure.GetType().Name + ": " + failure.Message;
        int summarised;
        long windowMs;
        string? summaryLatest;
        bool continues;
        lock (_lock)
        {
            if (key == _key && nowMs - _windowStartMs < SummaryIntervalMs)
            {
                _repeats++;
                _latest = described;
                return;
            }

            // A run that goes on past its interval is summarised; a new kind of failure is logged in full.
            continues = key == _key;
            summarised = continues ? _repeats + 1 : _repeats;
            summaryLatest = continues ? described : _latest;
            windowMs = nowMs - _windowStartMs;
            _key = key;
            _windowStartMs = nowMs;
            _repeats = 0;
            _latest = null;
        }

        if (summarised > 0)
        {
            PoolLog.FailuresRepeated(_logger, _pool, _subject, summarised, windowMs, summaryLatest!);
        }

        if (!continues)
        {
            _logFirst(_logger, _pool, described, logged ?? failure);
        }
    }

    /// <summary>Logs the summary of a run whose interval has ended, so a count is not held back until the next failure.</summary>
    public void Flush(long nowMs, bool force = false)
    {
        int repeats;
        long windowMs;
        string? latest;
        lock (_lock)
        {
            if (_repeats == 0 || (!force && nowMs - _windowStartMs < SummaryIntervalMs))
            {
                return;
            }

            repeats = _repeats;
            latest = _latest;
            windowMs = nowMs - _windowStartMs;
            _windowStartMs = nowMs;
            _repeats = 0;
            _latest = null;
        }

        PoolLog.FailuresRepeated(_logger, _pool, _subject, repeats, windowMs, latest!);
    }
}
