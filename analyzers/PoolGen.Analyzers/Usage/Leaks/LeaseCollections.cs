using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace PoolGen.Analyzers.Usage.Leaks;

/// <summary>
/// Local collections of leases (<c>var leases = new List&lt;Db.Lease&gt;();</c>, <c>var leases = new Db.Lease[n];</c>) as
/// the leak analysis sees them: adding a lease to one, or storing one in an element, makes the collection a holder of
/// that lease; any other use of the collection (iterating it, passing it on, returning it, storing it) hands every
/// lease in it on, whoever then disposes them.
/// </summary>
/// <remarks>
/// Handing on at any other use keeps POOL101 precise: a loop that disposes the elements, a helper that does, a
/// <c>ForEach(l =&gt; l.Dispose())</c> all end the obligation. What it catches is a collection that is filled and then
/// left alone (or only counted) until the method ends.
/// </remarks>
internal static class LeaseCollections
{
    /// <summary>
    /// Whether <paramref name="type"/> is an array of leases or a generic type with a lease among its type arguments (a
    /// list, queue, stack, set, or a dictionary's values), other than <c>Nullable&lt;L&gt;</c>.
    /// </summary>
    public static bool IsCollectionOfLeases(ITypeSymbol? type)
    {
        switch (type)
        {
            case IArrayTypeSymbol array:
                return LeaseTypes.IsLease(array.ElementType);
            case INamedTypeSymbol { IsGenericType: true } named when named.OriginalDefinition.SpecialType != SpecialType.System_Nullable_T:
                foreach (ITypeSymbol argument in named.TypeArguments)
                {
                    if (LeaseTypes.IsLease(argument))
                    {
                        return true;
                    }
                }

                return false;
            default:
                return false;
        }
    }

    /// <summary>
    /// Whether <paramref name="invocation"/> adds a lease to a collection of leases (<c>Add</c>, <c>Insert</c>,
    /// <c>Push</c>, <c>Enqueue</c>, <c>AddFirst</c>, <c>AddLast</c>, <c>TryAdd</c>), with the value it adds and, when
    /// the collection is a local, that local.
    /// </summary>
    public static bool AddsTo(IInvocationOperation invocation, out IOperation? added, out ILocalSymbol? local)
    {
        added = null;
        local = null;
        if (invocation.TargetMethod.Name is not ("Add" or "Insert" or "Push" or "Enqueue" or "AddFirst" or "AddLast" or "TryAdd")
            || invocation.Instance is not { } instance
            || !IsCollectionOfLeases(instance.Type))
        {
            return false;
        }

        foreach (IArgumentOperation argument in invocation.Arguments)
        {
            if (argument.Parameter is { } parameter && LeaseTypes.IsLease(parameter.Type))
            {
                added = argument.Value;
                local = (LeaseOperations.Strip(instance) as ILocalReferenceOperation)?.Local;
                return true;
            }
        }

        return false;
    }

    /// <summary>The local array of leases whose element <paramref name="target"/> writes (<c>leases[i] = ...</c>).</summary>
    public static ILocalSymbol? ElementOf(IOperation target) =>
        LeaseOperations.Strip(target) is IArrayElementReferenceOperation { ArrayReference: var array }
        && LeaseOperations.Strip(array) is ILocalReferenceOperation { Local: var local }
        && IsCollectionOfLeases(local.Type)
            ? local
            : null;

    /// <summary>
    /// Whether a read of a collection local hands the leases in it on: anything but adding to it, writing one of its
    /// elements, counting it, or assigning the local itself.
    /// </summary>
    public static bool HandsOn(ILocalReferenceOperation reference)
    {
        (IOperation? parent, IOperation child) = LeaseOperations.Consumer(reference);
        return parent switch
        {
            IInvocationOperation call when call.Instance == child => !AddsTo(call, out _, out _),
            IPropertyReferenceOperation { Property.Name: "Count" or "Length" or "LongLength" } => false,
            IArrayElementReferenceOperation { Parent: ISimpleAssignmentOperation assignment } element => assignment.Target != element,
            ISimpleAssignmentOperation assignment => assignment.Target != child,
            _ => true,
        };
    }
}
