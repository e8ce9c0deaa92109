using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace PoolGen.Analyzers.Usage.Connections;

/// <summary>
/// POOL105: the connection of a lease held in a local or parameter outlives the lease: returned from the method that
/// holds the lease in a local, stored in a field or in a property of something other than a local, given to a
/// constructor (or set in the initializer) of an object that is stored or returned, added to a collection that
/// outlives the method, or read by a lambda or local function that is itself stored or returned. A conditional or
/// <c>??</c> expression around the connection is looked through.
/// </summary>
/// <remarks>
/// A lease in a field is its owner's business, so its connection is not followed. A lease received as a parameter is
/// borrowed: returning its connection hands it to a caller that holds the lease anyway, so only storing it counts.
/// A property of a local (<c>command.Connection = lease.Connection</c>) or of an object being initialized is how
/// commands are set up, and is not a store that outlives the method.
/// </remarks>
internal static class ConnectionEscapes
{
    public static void Report(ConnectionReads reads, IOperation body, System.Action<Diagnostic> report)
    {
        var reported = new HashSet<SyntaxNode>();
        foreach (IPropertyReferenceOperation read in reads.Reads)
        {
            Check(reads, read, read, report, reported);
        }

        foreach (ILocalReferenceOperation reference in reads.LocalReads)
        {
            Check(reads, reference, reads.Locals[reference.Local], report, reported);
        }

        CheckClosures(reads, body, report, reported);
    }

    private static void Check(ConnectionReads reads, IOperation connection, IPropertyReferenceOperation read, System.Action<Diagnostic> report, HashSet<SyntaxNode> reported)
    {
        if (ConnectionReads.LeaseVariable(read) is not { } lease)
        {
            return;
        }

        (IOperation? parent, IOperation child) = LeaseOperations.Consumer(connection);
        IOperation at = child;

        // 'flag ? lease.Connection : other', 'lease.Connection ?? other': the connection goes where the whole expression goes.
        while (parent is IConditionalOperation conditional && conditional.Condition != child || parent is ICoalesceOperation)
        {
            (parent, child) = LeaseOperations.Consumer(parent!);
        }

        // An object that owns the lease ('_lease = lease;' here, or a [TakesLease] parameter) may keep its connection
        // beside it: both go when the object disposes the lease.
        if (parent is ISimpleAssignmentOperation { Target: var target } && ConnectionReads.OfThis(target)
            && (reads.KeptByThis.Contains(lease) || lease is IParameterSymbol owned && LeaseOperations.TakesLease(owned)))
        {
            return;
        }

        string? how = parent switch
        {
            IReturnOperation @return when lease is ILocalSymbol && SameFunction(reads.EnclosingFunction(@return), lease.ContainingSymbol) =>
                $"it is returned from {Describe(reads.EnclosingFunction(@return))}",
            ISimpleAssignmentOperation assignment when assignment.Value == child && Outlives(assignment.Target) =>
                $"it is stored in '{assignment.Target.Syntax}'",

            // 'new Holder { Connection = lease.Connection }' where the holder is kept.
            ISimpleAssignmentOperation { Parent: IObjectOrCollectionInitializerOperation { Parent: IObjectCreationOperation holder } } assignment
                when assignment.Value == child && KeptObject(reads, holder, lease) is { } kept =>
                $"it is stored in '{assignment.Target.Syntax}' of '{holder.Syntax}', which is {kept}",

            // 'new Reader(lease.Connection)' where the reader is kept: a constructor given a connection keeps it.
            IArgumentOperation { Parent: IObjectCreationOperation holder } when KeptObject(reads, holder, lease) is { } kept =>
                $"it is passed to '{holder.Syntax}', which is {kept}",

            // '_connections.Add(lease.Connection)': a collection that outlives the method keeps it.
            IArgumentOperation { Parent: IInvocationOperation { Instance: { } receiver } call }
                when call.TargetMethod.Name is "Add" or "Insert" or "Push" or "Enqueue" or "TryAdd" or "AddLast" or "AddFirst" && Outlives(receiver) =>
                $"it is added to '{receiver.Syntax}'",

            // '_cache.Remember(lease.Connection)', 'Remember(lease.Connection)': a method in source that stores the
            // parameter in a field, of an object that outlives the method.
            IArgumentOperation { Parameter: { } parameter, Parent: IInvocationOperation { Instance: { } receiver } call }
                when (Outlives(receiver) || receiver is IInstanceReferenceOperation { ReferenceKind: InstanceReferenceKind.ContainingTypeInstance })
                     && ParameterStores.Stores(parameter) =>
                $"it is passed to '{call.TargetMethod.Name}', which stores it in a field of {(receiver.IsImplicit ? "this object" : $"'{receiver.Syntax}'")}",
            _ => null,
        };

        if (how is not null && reported.Add(at.Syntax))
        {
            report(Diagnostic.Create(DiagnosticDescriptors.ConnectionEscapesLease, at.Syntax.GetLocation(), lease.Name, how,
                "keep the lease instead (return it, or store it where its owner disposes it), or use the connection only while the lease is held"));
        }
    }

    // A lambda (or a local function turned into a delegate) that is stored or returned, and reads a connection from
    // outside it: it runs after the method, when the lease that lent the connection may be gone. The delegates come
    // from the walk that found the reads.
    private static void CheckClosures(ConnectionReads reads, IOperation body, System.Action<Diagnostic> report, HashSet<SyntaxNode> reported)
    {
        foreach (IDelegateCreationOperation creation in reads.Delegates)
        {
            if (Kept(creation) is not { } where)
            {
                continue;
            }

            IOperation? function = creation.Target switch
            {
                IAnonymousFunctionOperation lambda => lambda,
                IMethodReferenceOperation { Method.MethodKind: MethodKind.LocalFunction } reference => LocalFunction(body, reference.Method),
                _ => null,
            };
            if (function is null)
            {
                continue;
            }

            ISymbol functionSymbol = function is IAnonymousFunctionOperation anonymous ? anonymous.Symbol : ((ILocalFunctionOperation)function).Symbol;
            HashSet<ILocalSymbol> disposed = DisposedIn(function);
            foreach (IOperation inner in function.Descendants())
            {
                (ISymbol? lease, IOperation? at) = inner switch
                {
                    IPropertyReferenceOperation read when reads.Reads.Contains(read) => (ConnectionReads.LeaseVariable(read), read),
                    ILocalReferenceOperation local when reads.Locals.ContainsKey(local.Local) && !Inside(local.Local, functionSymbol) =>
                        (ConnectionReads.LeaseVariable(reads.Locals[local.Local]), local),
                    _ => ((ISymbol?)null, (IOperation?)null),
                };

                // A closure that disposes the lease it captured owns it: it may use the connection until then.
                if (lease is null || at is null || Inside(lease, functionSymbol) || lease is ILocalSymbol l && disposed.Contains(l) || !reported.Add(at.Syntax))
                {
                    continue;
                }

                report(Diagnostic.Create(DiagnosticDescriptors.ConnectionEscapesLease, at.Syntax.GetLocation(), lease.Name,
                    $"a closure that reads it is {where}",
                    "rent inside the closure instead, or hand the lease to the closure and dispose it there"));
            }
        }
    }

    // Whether an object built around the connection outlives the lease: stored where Outlives says, or returned from
    // the function that holds the lease in a local.
    private static string? KeptObject(ConnectionReads reads, IOperation created, ISymbol lease)
    {
        (IOperation? parent, IOperation child) = LeaseOperations.Consumer(created);
        return parent switch
        {
            ISimpleAssignmentOperation assignment when assignment.Value == child && Outlives(assignment.Target) => $"stored in '{assignment.Target.Syntax}'",
            IReturnOperation @return when lease is ILocalSymbol && SameFunction(reads.EnclosingFunction(@return), lease.ContainingSymbol) => "returned",
            _ => null,
        };
    }

    // Whether a delegate outlives the method: stored where Outlives says, returned, or subscribed to an event.
    private static string? Kept(IDelegateCreationOperation creation)
    {
        (IOperation? parent, IOperation child) = LeaseOperations.Consumer(creation);
        return parent switch
        {
            ISimpleAssignmentOperation assignment when assignment.Value == child && Outlives(assignment.Target) => $"stored in '{assignment.Target.Syntax}'",
            IReturnOperation => "returned",
            IEventAssignmentOperation { Adds: true } subscription => $"subscribed to '{subscription.EventReference.Syntax}'",
            _ => null,
        };
    }

    // A field or property that is not a local's nor one of an object being initialized: a static, this object's, a
    // parameter's, another field's.
    private static bool Outlives(IOperation target) => LeaseOperations.Strip(target) switch
    {
        IFieldReferenceOperation { Instance: var instance } => Receiver(instance),
        IPropertyReferenceOperation { Instance: var instance } => Receiver(instance),
        _ => false,
    };

    private static bool Receiver(IOperation? instance) => instance switch
    {
        null => true,
        IInstanceReferenceOperation { ReferenceKind: InstanceReferenceKind.ImplicitReceiver } => false,
        ILocalReferenceOperation => false,
        _ => true,
    };

    private static string Describe(ISymbol function) =>
        function is IMethodSymbol { MethodKind: MethodKind.AnonymousFunction } ? "a lambda" : $"'{function.Name}'";

    private static bool SameFunction(ISymbol a, ISymbol b) => SymbolEqualityComparer.Default.Equals(a, b);

    private static bool Inside(ISymbol variable, ISymbol function) => SameFunction(variable.ContainingSymbol, function);

    private static IOperation? LocalFunction(IOperation body, IMethodSymbol method)
    {
        foreach (IOperation operation in body.Descendants())
        {
            if (operation is ILocalFunctionOperation function && SameFunction(function.Symbol, method.OriginalDefinition))
            {
                return function;
            }
        }

        return null;
    }

    private static HashSet<ILocalSymbol> DisposedIn(IOperation function)
    {
        var disposed = new HashSet<ILocalSymbol>(SymbolEqualityComparer.Default);
        foreach (IOperation operation in function.Descendants())
        {
            IOperation? value = operation switch
            {
                IInvocationOperation { Instance: { } instance } invocation when LeaseOperations.IsDispose(invocation.TargetMethod) => instance,
                IUsingOperation { Resources: var resources } => resources,
                IArgumentOperation argument when LeaseOperations.TakesLease(argument.Parameter) => argument.Value,
                _ => null,
            };
            if (value is not null && LeaseOperations.Strip(value) is ILocalReferenceOperation { Local: var local })
            {
                disposed.Add(local);
            }
        }

        return disposed;
    }
}
