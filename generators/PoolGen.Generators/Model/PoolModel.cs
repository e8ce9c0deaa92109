namespace PoolGen.Generators.Model;

/// <summary>
/// Everything the emitter needs to print one pool, as plain strings and flags. It holds no symbol, syntax node or
/// location, so two parses of an unchanged class compare equal and the pipeline skips the emitter.
/// </summary>
/// <param name="HintName">The generated file's name, e.g. <c>Shop.Data.OrdersDb.ConnectionPool.g.cs</c>.</param>
/// <param name="Namespace">The class's namespace as written in code, or null for the global namespace.</param>
/// <param name="ContainingTypes">The types the class is nested in, outermost first.</param>
/// <param name="Declaration">The annotated class's own declaration.</param>
/// <param name="FullTypeName">The class's fully qualified name, used to call its static methods.</param>
/// <param name="PoolName">The name given to <c>PoolOptions</c>: the class name, dotted through containing types.</param>
/// <param name="ConnectionType">The fully qualified connection type.</param>
/// <param name="Lifecycle">The user methods the policy calls and how the pool closes connections.</param>
/// <param name="DisposeMembers">Whether the pool is disposed through the class's own Dispose members or DisposePool ones.</param>
/// <param name="Options">The attribute's settings the user wrote, in attribute order.</param>
/// <param name="EngineAlias">The name of the file's <c>using</c> alias for the engine type (a multi-host pool's router).</param>
/// <param name="HandleAlias">The name of the file's <c>using</c> alias for the handle type its leases wrap.</param>
/// <param name="RoleCheck">
/// The method that tells a primary from a standby, set exactly when the factory takes a <c>PoolEndpoint</c>: the class
/// is then a multi-host pool, routing over one engine per endpoint.
/// </param>
/// <param name="EndpointEngineAlias">The name of the <c>using</c> alias for one endpoint's engine; empty otherwise.</param>
/// <param name="RoutedLeaseAlias">The name of the <c>using</c> alias for the router's lease, which the slow path unwraps; empty otherwise.</param>
internal sealed record PoolModel(
    string HintName,
    string? Namespace,
    EquatableArray<TypeDeclarationModel> ContainingTypes,
    TypeDeclarationModel Declaration,
    string FullTypeName,
    string PoolName,
    string ConnectionType,
    LifecycleModel Lifecycle,
    DisposeMembers DisposeMembers,
    EquatableArray<PoolOptionModel> Options,
    string EngineAlias,
    string HandleAlias,
    UserMethodModel? RoleCheck = null,
    string EndpointEngineAlias = "",
    string RoutedLeaseAlias = "")
{
    /// <summary>Whether the class routes over several endpoints (its factory takes the <c>PoolEndpoint</c> to connect to).</summary>
    public bool IsMultiHost => RoleCheck is not null;
}
