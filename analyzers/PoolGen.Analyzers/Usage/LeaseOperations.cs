using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace PoolGen.Analyzers.Usage;

/// <summary>
/// What every usage rule recognises in operations: the lease variable an operation reads (also through the compiler's
/// captures), a dispose call, a hand-over to <c>[TakesLease]</c>, a null constant, and what consumes a value.
/// </summary>
internal static class LeaseOperations
{
    /// <summary>
    /// Whether an operation block is one the control-flow analyses build a graph from: a method's block inside its
    /// method body (the graph is built from the block), a property's lone expression body, or top-level statements,
    /// which come as a method body of their own.
    /// </summary>
    public static bool IsFlowBody(IOperation body) =>
        body is IBlockOperation { Parent: null or IMethodBodyOperation or IConstructorBodyOperation }
            or IMethodBodyOperation { Parent: null };

    /// <summary>The operations of a block, its branch value last.</summary>
    public static IEnumerable<IOperation> Roots(BasicBlock block)
    {
        foreach (IOperation operation in block.Operations)
        {
            yield return operation;
        }

        if (block.BranchValue is { } value)
        {
            yield return value;
        }
    }

    /// <summary>The lease local or parameter that <paramref name="operation"/> reads, directly or through a capture of the graph.</summary>
    public static ISymbol? Variable(IOperation? operation, IReadOnlyDictionary<CaptureId, ISymbol>? captures) => Reference(operation) switch
    {
        ILocalReferenceOperation { Local: var local } when LeaseTypes.IsLease(local.Type) => local,
        IParameterReferenceOperation { Parameter: var parameter } when LeaseTypes.IsLease(parameter.Type) => parameter,
        IFlowCaptureReferenceOperation capture when captures is not null && captures.TryGetValue(capture.Id, out ISymbol? captured) => captured,
        _ => null,
    };

    /// <summary>What an operation refers to past conversions, parentheses and the declaration of an <c>out var</c>.</summary>
    public static IOperation? Reference(IOperation? operation)
    {
        operation = operation is null ? null : Strip(operation);
        return operation is IDeclarationExpressionOperation declaration ? Strip(declaration.Expression) : operation;
    }

    /// <summary>
    /// The captures of a graph that copy a lease local or parameter, as <c>using (lease)</c> does before its finally
    /// disposes the copy: one walk over the graph's operations, which the analyses of that graph share.
    /// </summary>
    public static Dictionary<CaptureId, ISymbol> Captures(ControlFlowGraph graph)
    {
        var captures = new Dictionary<CaptureId, ISymbol>();
        foreach (BasicBlock block in graph.Blocks)
        {
            foreach (IOperation operation in block.Operations)
            {
                if (operation is IFlowCaptureOperation capture && Variable(capture.Value, captures) is { } source)
                {
                    captures[capture.Id] = source;
                }
            }
        }

        return captures;
    }

    /// <summary>Whether a method disposes the object it is called on: <c>Dispose()</c> or <c>DisposeAsync()</c>.</summary>
    public static bool IsDispose(IMethodSymbol method) => method is { Name: "Dispose" or "DisposeAsync", Parameters.Length: 0 };

    /// <summary>
    /// Whether a parameter takes ownership of the lease passed to it: it carries <c>[TakesLease]</c>, or the member it
    /// overrides or the interface member it implements has it there. An override or implementation cannot give back
    /// an ownership its callers (who may only see the base member) already hand over.
    /// </summary>
    public static bool TakesLease(IParameterSymbol? parameter)
    {
        if (parameter is null)
        {
            return false;
        }

        if (HasTakesLease(parameter))
        {
            return true;
        }

        // Inheriting costs a walk over the type's interfaces: only for parameters that can take a lease at all.
        if (parameter.ContainingSymbol is not IMethodSymbol method || !LeaseTypes.IsLease(parameter.Type))
        {
            return false;
        }

        if (method.OverriddenMethod is { } overridden && TakesLease(overridden.Parameters[parameter.Ordinal]))
        {
            return true;
        }

        foreach (IMethodSymbol implemented in method.ExplicitInterfaceImplementations)
        {
            if (HasTakesLease(implemented.Parameters[parameter.Ordinal]))
            {
                return true;
            }
        }

        foreach (INamedTypeSymbol @interface in method.ContainingType.AllInterfaces)
        {
            foreach (ISymbol member in @interface.GetMembers(method.Name))
            {
                if (member is IMethodSymbol candidate && candidate.Parameters.Length == method.Parameters.Length
                    && HasTakesLease(candidate.Parameters[parameter.Ordinal])
                    && SymbolEqualityComparer.Default.Equals(method.ContainingType.FindImplementationForInterfaceMember(candidate), method))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static bool HasTakesLease(IParameterSymbol parameter)
    {
        foreach (AttributeData attribute in parameter.GetAttributes())
        {
            if (attribute.AttributeClass is { Name: "TakesLeaseAttribute", ContainingNamespace: { Name: "PoolGen", ContainingNamespace.IsGlobalNamespace: true } })
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether <paramref name="operation"/> is the constant <c>null</c>.</summary>
    public static bool IsNull(IOperation operation) => Strip(operation).ConstantValue is { HasValue: true, Value: null };

    /// <summary>What uses a value, past the conversions and parentheses around it, and the operation it uses.</summary>
    public static (IOperation? Parent, IOperation Child) Consumer(IOperation operation)
    {
        IOperation child = operation;
        IOperation? parent = operation.Parent;
        while (parent is IConversionOperation or IParenthesizedOperation)
        {
            child = parent;
            parent = parent.Parent;
        }

        return (parent, child);
    }

    /// <summary>The operation under any conversions and parentheses.</summary>
    public static IOperation Strip(IOperation operation)
    {
        while (true)
        {
            switch (operation)
            {
                case IConversionOperation { Operand: var operand }:
                    operation = operand;
                    break;
                case IParenthesizedOperation { Operand: var inner }:
                    operation = inner;
                    break;
                default:
                    return operation;
            }
        }
    }
}
