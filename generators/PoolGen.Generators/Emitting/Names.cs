namespace PoolGen.Generators.Emitting;

/// <summary>Fully qualified names the generated code uses, so no user type, alias or using can change what they bind to.</summary>
internal static class Names
{
    public const string ValueTask = "global::System.Threading.Tasks.ValueTask";
    public const string CancellationToken = "global::System.Threading.CancellationToken";
    // Rather than 'default': a factory overloaded as M(CancellationToken) and M(int) would make 'default' ambiguous.
    public const string NoCancellation = "global::System.Threading.CancellationToken.None";
    public const string Disposable = "global::System.IDisposable";
    public const string AsyncDisposable = "global::System.IAsyncDisposable";
    public const string PoolEngine = "global::PoolGen.PoolEngine";
    public const string PoolHandle = "global::PoolGen.PoolHandle";
    public const string ConnectionPool = "global::PoolGen.IConnectionPool";
    public const string ConfigurablePool = "global::PoolGen.IConfigurablePool";
    public const string PoolSetup = "global::PoolGen.PoolSetup";
    public const string PoolRegistry = "global::PoolGen.PoolRegistry";
    public const string ConnectionLease = "global::PoolGen.IConnectionLease";
    public const string EngineLease = "global::PoolGen.IPoolLease";
    public const string PolicyType = "ConnectionPoolPolicy";
    public const string PoolEndpoint = "global::PoolGen.PoolEndpoint";
    public const string MultiHostPool = "global::PoolGen.MultiHostPool";
    public const string MultiHostOptions = "global::PoolGen.MultiHostOptions";
    public const string MultiHostLease = "global::PoolGen.MultiHostLease";
    public const string Workload = "global::PoolGen.Workload";

    /// <summary>
    /// Goes on each generated member and nested type rather than on the partial class: on the class it would mark the
    /// user's own members as generated too. Analyzers (PoolGen's lease checks among them) and coverage tools skip what
    /// carries it, and POOL007 tells the generated members from the user's by it.
    /// </summary>
    public static readonly string GeneratedCode =
        $"[global::System.CodeDom.Compiler.GeneratedCode(\"PoolGen.Generators\", \"{typeof(Names).Assembly.GetName().Version}\")]";

    public static string ValueTaskOf(string type) => $"{ValueTask}<{type}>";
}
