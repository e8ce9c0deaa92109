using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using PoolGen.Generators.Model;

namespace PoolGen.Generators.Parsing;

/// <summary>
/// Decides whether a method has a signature the policy can call, and how (see <see cref="ReturnShape"/>).
/// A method that fails a check is not an error here: it simply does not count as a candidate.
/// </summary>
internal static class MethodSignatures
{
    /// <summary>
    /// A factory: no parameters or one <c>CancellationToken</c>, returning <c>C</c>, <c>ValueTask&lt;C&gt;</c> or
    /// <c>Task&lt;C&gt;</c> where <c>C</c> is a class or interface. A multi-host pool's factory takes the
    /// <c>PoolEndpoint</c> to connect to first.
    /// </summary>
    public static UserMethodModel? MatchFactory(IMethodSymbol method, out ITypeSymbol? connectionType)
    {
        connectionType = null;
        if (!IsPlainMethod(method) || method.ReturnsVoid || method.Parameters.Length > 2)
        {
            return null;
        }

        int next = 0;
        bool takesEndpoint = method.Parameters.Length > 0
            && IsByValue(method.Parameters[0], out ITypeSymbol firstType) && TypeNames.IsPoolEndpoint(firstType);
        if (takesEndpoint)
        {
            next = 1;
        }

        bool takesToken = method.Parameters.Length == next + 1;
        if (method.Parameters.Length > next + 1
            || (takesToken && (!IsByValue(method.Parameters[next], out ITypeSymbol tokenType) || !TypeNames.IsCancellationToken(tokenType))))
        {
            return null;
        }

        (ReturnShape shape, ITypeSymbol result) = Unwrap(method.ReturnType);
        if (result.TypeKind is not (TypeKind.Class or TypeKind.Interface))
        {
            return null;
        }

        connectionType = result;
        return new UserMethodModel(Identifiers.Escape(method.Name), method.IsStatic, shape, takesToken, takesEndpoint);
    }

    /// <summary>
    /// A role check: <c>EndpointRole M(C)</c>, or <c>ValueTask&lt;EndpointRole&gt;</c>/<c>Task&lt;EndpointRole&gt;</c>
    /// <c>M(C[, CancellationToken])</c>.
    /// </summary>
    public static UserMethodModel? MatchRoleCheck(IMethodSymbol method, ITypeSymbol connectionType, Compilation compilation)
    {
        if (!IsPlainMethod(method) || method.ReturnsVoid)
        {
            return null;
        }

        (ReturnShape shape, ITypeSymbol result) = Unwrap(method.ReturnType);
        return TypeNames.IsEndpointRole(result) ? MatchConnectionParameters(method, shape, connectionType, compilation) : null;
    }

    /// <summary>A validator: <c>bool M(C)</c>, or <c>ValueTask&lt;bool&gt;</c>/<c>Task&lt;bool&gt;</c> <c>M(C[, CancellationToken])</c>.</summary>
    public static UserMethodModel? MatchValidate(IMethodSymbol method, ITypeSymbol connectionType, Compilation compilation)
    {
        if (!IsPlainMethod(method) || method.ReturnsVoid)
        {
            return null;
        }

        (ReturnShape shape, ITypeSymbol result) = Unwrap(method.ReturnType);
        if (result.SpecialType != SpecialType.System_Boolean)
        {
            return null;
        }

        return MatchConnectionParameters(method, shape, connectionType, compilation);
    }

    /// <summary>A broken-connection check: <c>bool M(C)</c> only, since it runs synchronously on every return.</summary>
    public static UserMethodModel? MatchPredicate(IMethodSymbol method, ITypeSymbol connectionType, Compilation compilation)
    {
        if (!IsPlainMethod(method) || method.ReturnType.SpecialType != SpecialType.System_Boolean)
        {
            return null;
        }

        return MatchConnectionParameters(method, ReturnShape.Sync, connectionType, compilation);
    }

    /// <summary>A reset or close method: <c>void M(C)</c>, or <c>ValueTask</c>/<c>Task</c> <c>M(C[, CancellationToken])</c>.</summary>
    public static UserMethodModel? MatchAction(IMethodSymbol method, ITypeSymbol connectionType, Compilation compilation)
    {
        if (!IsPlainMethod(method))
        {
            return null;
        }

        ReturnShape shape;
        if (method.ReturnsVoid)
        {
            shape = ReturnShape.Sync;
        }
        else if (TypeNames.IsValueTask(method.ReturnType))
        {
            shape = ReturnShape.ValueTask;
        }
        else if (TypeNames.IsTask(method.ReturnType))
        {
            shape = ReturnShape.Task;
        }
        else
        {
            return null;
        }

        return MatchConnectionParameters(method, shape, connectionType, compilation);
    }

    // (C) for every shape; (C, CancellationToken) only for asynchronous ones, where a token means something.
    private static UserMethodModel? MatchConnectionParameters(
        IMethodSymbol method, ReturnShape shape, ITypeSymbol connectionType, Compilation compilation)
    {
        int count = method.Parameters.Length;
        bool takesToken = count == 2;
        if (count is < 1 or > 2 || (takesToken && shape == ReturnShape.Sync))
        {
            return null;
        }

        if (!IsByValue(method.Parameters[0], out ITypeSymbol parameterType)
            || !AcceptsConnection(parameterType, connectionType, compilation))
        {
            return null;
        }

        if (takesToken && (!IsByValue(method.Parameters[1], out ITypeSymbol tokenType) || !TypeNames.IsCancellationToken(tokenType)))
        {
            return null;
        }

        return new UserMethodModel(Identifiers.Escape(method.Name), method.IsStatic, shape, takesToken);
    }

    // Identity or an implicit reference conversion (a base class or an interface of C): the call then needs no cast.
    private static bool AcceptsConnection(ITypeSymbol parameterType, ITypeSymbol connectionType, Compilation compilation)
    {
        CommonConversion classified = compilation.ClassifyCommonConversion(connectionType, parameterType);
        return classified.IsIdentity || (classified.IsImplicit && classified.IsReference);
    }

    // Generic methods and ref returns cannot be called the simple way the policy calls methods.
    private static bool IsPlainMethod(IMethodSymbol method) =>
        method.MethodKind == MethodKind.Ordinary
        && method.TypeParameters.Length == 0
        && !method.ReturnsByRef
        && !method.ReturnsByRefReadonly;

    private static bool IsByValue(IParameterSymbol parameter, out ITypeSymbol type)
    {
        type = parameter.Type;
        return parameter.RefKind == RefKind.None && !parameter.IsParams;
    }

    private static (ReturnShape Shape, ITypeSymbol Result) Unwrap(ITypeSymbol returnType)
    {
        if (returnType is INamedTypeSymbol { TypeArguments.Length: 1 } named)
        {
            if (TypeNames.IsGenericValueTask(named))
            {
                return (ReturnShape.ValueTask, named.TypeArguments[0]);
            }

            if (TypeNames.IsGenericTask(named))
            {
                return (ReturnShape.Task, named.TypeArguments[0]);
            }
        }

        return (ReturnShape.Sync, returnType);
    }
}
