using Microsoft.CodeAnalysis;

namespace PoolGen.Generators.Parsing;

/// <summary>
/// Recognises framework and PoolGen types by name. Matching by name rather than by symbol from
/// <c>GetTypeByMetadataName</c> keeps working when a type is defined in more than one referenced assembly
/// (polyfills), where that lookup returns null.
/// </summary>
internal static class TypeNames
{
    public const string ConnectionPoolAttribute = "PoolGen.ConnectionPoolAttribute";

    public const string PoolOptions = "PoolGen.PoolOptions";

    public static bool IsCancellationToken(ITypeSymbol type) => Is(type, "System.Threading", "CancellationToken");

    public static bool IsValueTask(ITypeSymbol type) => Is(type, "System.Threading.Tasks", "ValueTask");

    public static bool IsTask(ITypeSymbol type) => Is(type, "System.Threading.Tasks", "Task");

    public static bool IsGenericValueTask(ITypeSymbol type) => Is(type, "System.Threading.Tasks", "ValueTask`1");

    public static bool IsGenericTask(ITypeSymbol type) => Is(type, "System.Threading.Tasks", "Task`1");

    public static bool IsDisposable(ITypeSymbol type) => Is(type, "System", "IDisposable");

    public static bool IsAsyncDisposable(ITypeSymbol type) => Is(type, "System", "IAsyncDisposable");

    public static bool IsDbConnectionInterface(ITypeSymbol type) => Is(type, "System.Data", "IDbConnection");

    public static bool IsConnectionState(ITypeSymbol type) => Is(type, "System.Data", "ConnectionState");

    public static bool IsGeneratedCodeAttribute(ITypeSymbol type) => Is(type, "System.CodeDom.Compiler", "GeneratedCodeAttribute");

    public static bool IsPoolEndpoint(ITypeSymbol type) => Is(type, "PoolGen", "PoolEndpoint");

    public static bool IsEndpointRole(ITypeSymbol type) => Is(type, "PoolGen", "EndpointRole");

    public static bool IsPoolFactoryAttribute(ITypeSymbol? type) =>
        type is not null && Is(type, "PoolGen", "PoolFactoryAttribute");

    private static bool Is(ITypeSymbol type, string ns, string metadataName) =>
        type.MetadataName == metadataName
        && type.ContainingType is null
        && type.ContainingNamespace?.ToDisplayString() == ns;
}
