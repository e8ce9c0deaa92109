using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using PoolGen.Generators.Model;
using PoolGen.Generators.Parsing;

namespace PoolGen.Analyzers.Configuration;

/// <summary>
/// POOL002, POOL003 and POOL008: the factory and the Validate/Reset/Close/IsBroken/RoleCheck methods, found by the generator's own resolvers
/// (compiled into this assembly), so a method is reported exactly when the generator could not use it.
/// </summary>
internal static class MethodChecks
{
    private const string FactorySignatures =
        "C M(), C M(CancellationToken), ValueTask<C> M([CancellationToken]) or Task<C> M([CancellationToken]), where C is the connection type (a class or interface), " +
        "each with a PoolEndpoint as its first parameter in a multi-host pool";

    public static void Check(PoolUnderAnalysis pool)
    {
        // Only the class's own methods, as in the generator: inherited private ones could not be called from the generated part.
        IMethodSymbol[] methods = pool.Type.GetMembers().OfType<IMethodSymbol>().ToArray();
        pool.TryGetArgument("Factory", out string? factoryName);
        FactorySearch search = FactoryResolver.Search(methods, factoryName, pool.CancellationToken);
        ReportFactory(pool, search, factoryName);
        if (search.Usable.Count != 1)
        {
            return; // without a connection type the other methods cannot be judged
        }

        ITypeSymbol connection = search.Usable[0].ConnectionType;
        CheckNamed(pool, methods, "Validate", NamedMethodResolver.Role.Validate, connection);
        CheckNamed(pool, methods, "Reset", NamedMethodResolver.Role.Action, connection);
        CheckNamed(pool, methods, "Close", NamedMethodResolver.Role.Action, connection);
        CheckNamed(pool, methods, "IsBroken", NamedMethodResolver.Role.Predicate, connection);
        CheckNamed(pool, methods, "RoleCheck", NamedMethodResolver.Role.RoleCheck, connection);
        CheckMultiHost(pool, search.Usable[0], connection);
    }

    // POOL008: a multi-host pool is a factory that takes the endpoint plus a role check; either alone is half of one.
    private static void CheckMultiHost(PoolUnderAnalysis pool, FactoryCandidate factory, ITypeSymbol connection)
    {
        bool namesRoleCheck = pool.TryGetArgument("RoleCheck", out string? roleCheck) && roleCheck is not null;
        if (factory.Model.TakesEndpoint == namesRoleCheck)
        {
            return;
        }

        string name = pool.Type.Name;
        if (factory.Model.TakesEndpoint)
        {
            pool.Report(
                DiagnosticDescriptors.MultiHostIncomplete,
                pool.IdentifierLocation,
                $"The factory '{factory.Method.Name}' of '{name}' takes a PoolEndpoint, which makes '{name}' a multi-host pool, but " +
                $"[ConnectionPool] names no RoleCheck to tell a primary from a standby: add RoleCheck = nameof(M), where M is one of " +
                $"{Signatures(NamedMethodResolver.Role.RoleCheck, connection)} (for PostgreSQL, SELECT pg_is_in_recovery(): true is a standby)");
            return;
        }

        pool.Report(
            DiagnosticDescriptors.MultiHostIncomplete,
            pool.ArgumentLocation("RoleCheck"),
            $"RoleCheck = \"{roleCheck}\" makes '{name}' a multi-host pool, but its factory '{factory.Method.Name}' takes no PoolEndpoint: " +
            $"give the factory a first parameter PoolEndpoint endpoint and connect to endpoint.Host and endpoint.Port, or remove RoleCheck");
    }

    private static void ReportFactory(PoolUnderAnalysis pool, FactorySearch search, string? factoryName)
    {
        int usable = search.Usable.Count;
        if (usable == 1)
        {
            return;
        }

        if (search.Source == FactorySource.Named)
        {
            string problem = search.Candidates.Count == 0 ? $"names no method of '{pool.Type.Name}'"
                : usable == 0 ? $"names no method of a usable signature (found {Describe(search.Candidates)})"
                : $"names {usable} methods of a usable signature ({Describe(search.Usable.Select(c => c.Method))}), so the factory is ambiguous; keep one";
            pool.Report(DiagnosticDescriptors.UnusableNamedMethod, pool.ArgumentLocation("Factory"), "Factory", factoryName, problem, FactorySignatures);
            return;
        }

        string message = search.Source switch
        {
            FactorySource.MarkedMoreThanOnce =>
                $"has {search.Candidates.Count} methods marked [PoolFactory] ({Describe(search.Candidates)}): keep the attribute on the one that opens connections",
            FactorySource.Marked =>
                $"marks {Describe(search.Candidates)} with [PoolFactory], but a factory must be {FactorySignatures}",
            _ when usable > 1 =>
                $"has {usable} factory candidates ({Describe(search.Usable.Select(c => c.Method))}): mark the one to use with [PoolFactory] or name it with Factory = nameof(...)",
            _ when search.Candidates.Count > 0 =>
                $"has no factory of a usable signature (found {Describe(search.Candidates)}): a factory must be {FactorySignatures}",
            _ =>
                $"has no factory: add a method named {string.Join(", ", FactoryResolver.ConventionalNames)}, mark one with [PoolFactory] or name it with Factory = nameof(...); a factory must be {FactorySignatures}",
        };
        pool.Report(DiagnosticDescriptors.NoFactory, pool.IdentifierLocation, pool.Type.Name, message);
    }

    private static void CheckNamed(
        PoolUnderAnalysis pool, IMethodSymbol[] methods, string property, NamedMethodResolver.Role role, ITypeSymbol connection)
    {
        if (!pool.TryGetArgument(property, out string? name) || name is null)
        {
            return;
        }

        List<UserMethodModel> usable = NamedMethodResolver.FindUsable(
            methods, name, role, connection, pool.Compilation, pool.CancellationToken, out int named);
        if (usable.Count == 1)
        {
            return;
        }

        string problem = named == 0 ? $"names no method of '{pool.Type.Name}'"
            : usable.Count == 0 ? $"names no method of a usable signature (found {Describe(methods.Where(m => m.Name == name))})"
            : $"names {usable.Count} methods of a usable signature, so the call is ambiguous; keep one";
        pool.Report(DiagnosticDescriptors.UnusableNamedMethod, pool.ArgumentLocation(property), property, name, problem, Signatures(role, connection));
    }

    private static string Signatures(NamedMethodResolver.Role role, ITypeSymbol connection)
    {
        string c = connection.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat);
        return role switch
        {
            NamedMethodResolver.Role.Validate =>
                $"bool M({c}), ValueTask<bool> M({c}[, CancellationToken]) or Task<bool> M({c}[, CancellationToken]) (static or instance)",
            NamedMethodResolver.Role.Predicate =>
                $"bool M({c}) (static or instance; it runs on every return, so it must be synchronous and cheap)",
            NamedMethodResolver.Role.RoleCheck =>
                $"EndpointRole M({c}), ValueTask<EndpointRole> M({c}[, CancellationToken]) or Task<EndpointRole> M({c}[, CancellationToken]) (static or instance)",
            _ => $"void M({c}), ValueTask M({c}[, CancellationToken]) or Task M({c}[, CancellationToken]) (static or instance)",
        };
    }

    // 'Create(string)': the name and the parameter types, which is what tells overloads apart.
    private static string Describe(IEnumerable<IMethodSymbol> methods) =>
        string.Join(", ", methods.Select(m =>
            "'" + m.Name + "(" + string.Join(", ", m.Parameters.Select(p => p.Type.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat))) + ")'"));
}
