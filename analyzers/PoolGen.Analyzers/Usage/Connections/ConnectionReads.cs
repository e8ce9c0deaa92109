using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace PoolGen.Analyzers.Usage.Connections;

/// <summary>
/// The places one body reads a lease's <c>Connection</c>, and the locals that keep what they read
/// (<c>var connection = lease.Connection;</c>): what the connection rules look at, found in one walk.
/// </summary>
internal sealed class ConnectionReads
{
    private ConnectionReads(ISymbol owner)
    {
        Owner = owner;
    }

    /// <summary>The method (or other member) the body belongs to.</summary>
    public ISymbol Owner { get; }

    /// <summary>Every <c>lease.Connection</c> read, of a lease held anywhere.</summary>
    public List<IPropertyReferenceOperation> Reads { get; } = new();

    /// <summary>Locals assigned a lease's connection, each with the read that filled it.</summary>
    public Dictionary<ILocalSymbol, IPropertyReferenceOperation> Locals { get; } = new(SymbolEqualityComparer.Default);

    /// <summary>Every read of those locals.</summary>
    public List<ILocalReferenceOperation> LocalReads { get; } = new();

    /// <summary>Every delegate the body creates: the closures POOL105 checks for a connection they carry away.</summary>
    public List<IDelegateCreationOperation> Delegates { get; } = new();

    /// <summary>
    /// Lease locals and parameters that the body stores in a field or property of this object (<c>_lease = lease;</c>):
    /// this object owns those leases, and may keep their connections beside them.
    /// </summary>
    public HashSet<ISymbol> KeptByThis { get; } = new(SymbolEqualityComparer.Default);

    /// <summary>The reads of <paramref name="body"/>, or null when it reads no lease's connection (most bodies).</summary>
    public static ConnectionReads? Find(IOperation body, ISymbol owner)
    {
        ConnectionReads? found = null;
        var localReferences = new List<ILocalReferenceOperation>();
        var keptByThis = new List<ISymbol>();
        var delegates = new List<IDelegateCreationOperation>();
        foreach (IOperation operation in body.Descendants())
        {
            if (operation is ILocalReferenceOperation reference)
            {
                localReferences.Add(reference);
            }
            else if (operation is IDelegateCreationOperation creation)
            {
                delegates.Add(creation);
            }
            else if (operation is ISimpleAssignmentOperation { Target: var target, Value: var value } && OfThis(target)
                     && LeaseOperations.Variable(value, null) is { } kept)
            {
                keptByThis.Add(kept);
            }
            else if (operation is IPropertyReferenceOperation read && IsConnection(read))
            {
                found ??= new ConnectionReads(owner);
                found.Reads.Add(read);
                if (KeptIn(read) is { } local)
                {
                    found.Locals[local] = read;
                }
            }
        }

        found?.KeptByThis.UnionWith(keptByThis);
        found?.Delegates.AddRange(delegates);
        if (found is not null && found.Locals.Count > 0)
        {
            foreach (ILocalReferenceOperation reference in localReferences)
            {
                if (found.Locals.ContainsKey(reference.Local))
                {
                    found.LocalReads.Add(reference);
                }
            }
        }

        return found;
    }

    /// <summary>The function whose body <paramref name="operation"/> is in: a lambda, a local function, or the owner.</summary>
    public ISymbol EnclosingFunction(IOperation operation)
    {
        for (IOperation? current = operation.Parent; current is not null; current = current.Parent)
        {
            switch (current)
            {
                case IAnonymousFunctionOperation lambda:
                    return lambda.Symbol;
                case ILocalFunctionOperation function:
                    return function.Symbol;
            }
        }

        return Owner;
    }

    /// <summary>The symbol holding the lease a read goes through: a local or parameter, or null for anything else.</summary>
    public static ISymbol? LeaseVariable(IPropertyReferenceOperation read) => LeaseOperations.Strip(read.Instance!) switch
    {
        ILocalReferenceOperation { Local: var local } => local,
        IParameterReferenceOperation { Parameter: var parameter } => parameter,
        _ => null,
    };

    /// <summary>Whether <paramref name="target"/> is a field or property of this object: <c>_x</c>, <c>this.X</c>.</summary>
    public static bool OfThis(IOperation target) => LeaseOperations.Strip(target) switch
    {
        IFieldReferenceOperation { Instance: IInstanceReferenceOperation { ReferenceKind: InstanceReferenceKind.ContainingTypeInstance } } => true,
        IPropertyReferenceOperation { Instance: IInstanceReferenceOperation { ReferenceKind: InstanceReferenceKind.ContainingTypeInstance } } => true,
        _ => false,
    };

    private static bool IsConnection(IPropertyReferenceOperation read) =>
        read.Property.Name == "Connection" && read.Instance is { } instance && LeaseTypes.IsLease(instance.Type);

    // 'var connection = lease.Connection;' or 'connection = lease.Connection;'.
    private static ILocalSymbol? KeptIn(IPropertyReferenceOperation read) => LeaseOperations.Consumer(read) switch
    {
        (IVariableInitializerOperation { Parent: IVariableDeclaratorOperation declarator }, _) => declarator.Symbol,
        (ISimpleAssignmentOperation { Target: ILocalReferenceOperation target } assignment, var child) when assignment.Value == child => target.Local,
        _ => null,
    };
}
