using Microsoft.Extensions.Logging;

namespace AiSidecar.ExtProc.Tests.Infrastructure;

/// <summary>Captures every log entry of every category a server writes, with its exception, to assert what operators would read.</summary>
internal sealed class CapturingLoggerProvider : ILoggerProvider
{
    private readonly List<Entry> _entries = [];

    /// <summary>A snapshot of the entries so far.</summary>
    public IReadOnlyList<Entry> Entries
    {
        get
        {
            lock (_entries)
            {
                return [.. _entries];
            }
        }
    }

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    /// <summary>One log entry.</summary>
    public sealed record Entry(string Category, LogLevel Level, string EventName, string Message, Exception? Exception)
    {
        public override string ToString() => $"{Level} {Category} {EventName}: {Message}{(Exception is null ? "" : " " + Exception.GetType().Name)}";
    }

    private sealed class Logger(CapturingLoggerProvider provider, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (provider._entries)
            {
                provider._entries.Add(new Entry(category, logLevel, eventId.Name ?? "", formatter(state, exception), exception));
            }
        }
    }
}
