namespace PoolGen.Generators.Model;

/// <summary>The user methods behind the generated policy struct.</summary>
/// <param name="Factory">Opens a connection.</param>
/// <param name="Validate">Checks a connection, or null when the class has none.</param>
/// <param name="Reset">Prepares a returned connection, or null when the class has none.</param>
/// <param name="Close">Closes a connection, or null to fall back on <paramref name="DefaultClose"/>.</param>
/// <param name="IsBroken">Tells a broken connection on return, or null when the class has no such check.</param>
/// <param name="StateCheck">How the generated IsBroken reads the connection's State; None when <paramref name="IsBroken"/> is set, which replaces it.</param>
/// <param name="DefaultClose">How the connection type can dispose itself.</param>
internal sealed record LifecycleModel(
    UserMethodModel Factory,
    UserMethodModel? Validate,
    UserMethodModel? Reset,
    UserMethodModel? Close,
    UserMethodModel? IsBroken,
    StateCheck StateCheck,
    DefaultCloseModel DefaultClose);
