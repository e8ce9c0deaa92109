using System;
using System.Diagnostics;
using System.Reflection;

namespace PoolGen;

/// <summary>
/// The <c>PoolGen</c> activity source: a span around a rent that has to wait, around each physical open, and around
/// each validation that does I/O. A rent served at once gets none. With no listener sampling, starting one returns null
/// and allocates nothing.
/// </summary>
internal static class PoolTracing
{
    /// <summary>A rent that could not be served at once from the idle set: it waits, or opens its own connection.</summary>
    public const string Wait = "poolgen.rent.wait";

    /// <summary>One call of the pool's factory.</summary>
    public const string Open = "poolgen.connection.open";

    /// <summary>One call of the pool's validator.</summary>
    public const string Validate = "poolgen.connection.validate";

    /// <summary>The source, named like the meter so that one name turns both on.</summary>
    public static readonly ActivitySource Source = new(
        PoolMetrics.MeterName,
        typeof(PoolTracing).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion);

    /// <summary>Starts a span for <paramref name="pool"/>, or returns null when no listener samples it.</summary>
    public static Activity? Start(string operation, string pool)
    {
        if (!Source.HasListeners())
        {
            return null;
        }

        Activity? activity = Source.StartActivity(operation, ActivityKind.Internal);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag(PoolMetrics.PoolNameTag, pool);
        }

        return activity;
    }

    /// <summary>
    /// Marks the span failed with <paramref name="error"/> as OpenTelemetry's conventions say: the status, the
    /// <c>error.type</c> attribute, and an <c>exception</c> event.
    /// </summary>
    public static void Fail(Activity? activity, Exception error)
    {
        if (activity is null)
        {
            return;
        }

        activity.SetStatus(ActivityStatusCode.Error, error.Message);
        if (activity.IsAllDataRequested)
        {
            activity.SetTag("error.type", error.GetType().FullName);
            activity.AddEvent(new ActivityEvent("exception", tags: new ActivityTagsCollection
            {
                ["exception.type"] = error.GetType().FullName,
                ["exception.message"] = error.Message,
                ["exception.stacktrace"] = error.ToString(),
            }));
        }
    }

    /// <summary>Marks the span failed for a reason that is not an exception, such as a validator answering false.</summary>
    public static void Fail(Activity? activity, string errorType, string description)
    {
        if (activity is null)
        {
            return;
        }

        activity.SetStatus(ActivityStatusCode.Error, description);
        if (activity.IsAllDataRequested)
        {
            activity.SetTag("error.type", errorType);
        }
    }
}
