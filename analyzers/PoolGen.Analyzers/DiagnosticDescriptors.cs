using Microsoft.CodeAnalysis;

namespace PoolGen.Analyzers;

/// <summary>
/// Every diagnostic PoolGen reports. The IDs are part of the public contract: a retired ID stays in
/// AnalyzerReleases.Shipped.md and is never reused. Each has a page under docs/rules.
/// </summary>
internal static class DiagnosticDescriptors
{
    public const string ConfigurationCategory = "PoolGen.Configuration";
    public const string UsageCategory = "PoolGen.Usage";

    /// <summary>
    /// Where the rule pages are published: the repository address the build was given (the PoolGenRepositoryUrl property,
    /// stamped into this assembly), or none. A rule without a known address gets no help link rather than a guessed one.
    /// </summary>
    private static readonly string? HelpBase = RepositoryUrl() is { Length: > 0 } url ? url.TrimEnd('/') + "/blob/main/docs/rules/" : null;

    public static readonly DiagnosticDescriptor NotPartial = Error(
        "POOL001",
        "A [ConnectionPool] class and the types around it must be partial",
        "'{0}' is not partial, so no pool is generated for '{1}': add the 'partial' modifier to every declaration of '{0}'");

    public static readonly DiagnosticDescriptor NoFactory = Error(
        "POOL002",
        "A [ConnectionPool] class needs exactly one factory method",
        "'{0}' {1}");

    public static readonly DiagnosticDescriptor UnusableNamedMethod = Error(
        "POOL003",
        "A method named in [ConnectionPool] is missing or has an unusable signature",
        "{0} = \"{1}\" {2}: declare one of {3}");

    public static readonly DiagnosticDescriptor SizeOutOfRange = Error(
        "POOL004",
        "Pool size out of range",
        OptionRules.MessageFormat);

    public static readonly DiagnosticDescriptor TimeOutOfRange = Error(
        "POOL005",
        "Pool time, percentage or count out of range",
        OptionRules.MessageFormat);

    public static readonly DiagnosticDescriptor UnsupportedClass = Error(
        "POOL006",
        "A [ConnectionPool] class must not be generic, static or file-local",
        "'{0}' {1}, so no pool is generated for it: {2}");

    public static readonly DiagnosticDescriptor MemberClash = Error(
        "POOL007",
        "A member of a [ConnectionPool] class has the name of a member the pool adds",
        "The {0} '{1}' has the name of a member the pool adds to '{2}', so no pool is generated for '{2}': rename it (the pool adds {3})");

    public static readonly DiagnosticDescriptor MultiHostIncomplete = Error(
        "POOL008",
        "A multi-host pool needs a factory that takes a PoolEndpoint and a RoleCheck",
        "{0}");

    public static readonly DiagnosticDescriptor LeaseLeaked = new(
        "POOL101",
        "A lease is not disposed on every path",
        "The lease from '{0}' is not disposed on every path: {1}, so its connection never goes back to the pool; dispose it with 'using var' (or 'await using var') or in a 'finally', or hand it on: return it, store it where its owner disposes it, or pass it to a parameter marked [TakesLease]",
        UsageCategory,
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "Every path through a method must dispose a lease it rents, return it, or hand it to a [TakesLease] parameter or a field; a lease lost on one path keeps its connection out of the pool until the pool runs dry.",
        helpLinkUri: Help("POOL101"));

    public static readonly DiagnosticDescriptor LeaseDiscarded = new(
        "POOL102",
        "The lease returned by a rent is discarded",
        "The lease returned by '{0}' is discarded{1}, so its connection never goes back to the pool: {2}",
        UsageCategory,
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "A discarded lease can never be disposed: the connection stays out of the pool until the pool runs dry. 'pool.Rent().Connection' discards the lease too, and uses its connection with no lease to hold it.",
        helpLinkUri: Help("POOL102"));

    public static readonly DiagnosticDescriptor LeaseUsedAfterDispose = new(
        "POOL103",
        "A lease or its connection is used after the lease was disposed",
        "{0} after {1}: by then the connection may serve another lease; {2}",
        UsageCategory,
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "Disposing a lease gives its connection back to the pool, which may hand it to the next rent at once; a disposed lease's Connection throws, and a connection kept from before the disposal is someone else's.",
        helpLinkUri: Help("POOL103"));

    public static readonly DiagnosticDescriptor LeaseDisposedTwice = new(
        "POOL104",
        "A lease is disposed twice, or a copy of it is disposed as well",
        "The lease is disposed twice: {0}; {1}",
        UsageCategory,
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "A lease is returned to its pool once; a second disposal, through the same variable, a copy, or a parameter whose caller disposes it too, means two places believe they own one lease.",
        helpLinkUri: Help("POOL104"));

    public static readonly DiagnosticDescriptor ConnectionEscapesLease = new(
        "POOL105",
        "The connection escapes its lease",
        "The connection of '{0}' escapes the lease: {1}, but the connection goes back to the pool when the lease is disposed; {2}",
        UsageCategory,
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "A connection is the pool's, lent for as long as the lease lives; kept beyond that, it is used by two owners at once.",
        helpLinkUri: Help("POOL105"));

    public static readonly DiagnosticDescriptor PooledConnectionClosed = new(
        "POOL106",
        "The pooled connection is closed or disposed directly",
        "{0} {1} the pooled connection of '{2}' directly, which wastes it (the pool must throw it away when it comes back) and, in a pool that cannot see a connection's state, hands the dead connection to the next rent: dispose the lease instead (call 'Invalidate()' on it first if the connection is broken)",
        UsageCategory,
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "The pool owns the connection: it decides when to close it. Disposing the lease returns it; Invalidate() makes the pool close it on return.",
        helpLinkUri: Help("POOL106"));

    public static readonly DiagnosticDescriptor SyncRentInAsync = new(
        "POOL107",
        "Synchronous Rent() inside an async method",
        "'{0}' blocks a thread while it waits for a connection inside an async method: use 'await {1}Async(...)' instead",
        UsageCategory,
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "When the pool is exhausted a synchronous Rent blocks the calling thread; inside async code that starves the thread pool, which is what the waiting code needs to make progress.",
        helpLinkUri: Help("POOL107"));

    public static readonly DiagnosticDescriptor LeaseLeakedOnException = new(
        "POOL108",
        "A lease is not disposed when an exception is thrown",
        "The lease from '{0}' is not disposed if {1} throws: '{2}' still holds it there and nothing disposes it on the way out; dispose it with 'using var' (or 'await using var') or in a 'finally'",
        UsageCategory,
        DiagnosticSeverity.Info,
        isEnabledByDefault: true,
        description: "A lease disposed by a plain call after other calls is lost whenever one of those calls throws: a failing command leaks a connection each time. Reported apart from POOL101, at a lower severity, because most such calls rarely throw and the normal paths are correct.",
        helpLinkUri: Help("POOL108"));

    private static DiagnosticDescriptor Error(string id, string title, string message) =>
        new(id, title, message, ConfigurationCategory, DiagnosticSeverity.Error, isEnabledByDefault: true,
            description: "The generator emits nothing for a [ConnectionPool] class with a configuration error; this diagnostic says why.",
            helpLinkUri: Help(id));

    private static string? Help(string id) => HelpBase is null ? null : HelpBase + id + ".md";

    private static string? RepositoryUrl()
    {
        foreach (object attribute in typeof(DiagnosticDescriptors).Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyMetadataAttribute), inherit: false))
        {
            if (attribute is System.Reflection.AssemblyMetadataAttribute { Key: "PoolGenRepositoryUrl" } metadata)
            {
                return metadata.Value;
            }
        }

        return null;
    }
}
