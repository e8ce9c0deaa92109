using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace PoolGen.Analyzers.Usage.Connections;

/// <summary>
/// POOL106: the pooled connection closed or disposed by the code that rented it: <c>lease.Connection.Dispose()</c>,
/// <c>Close()</c>, <c>DisposeAsync()</c>, <c>CloseAsync()</c> (also through <c>?.</c> or a local that holds the
/// connection), or a <c>using</c> of it.
/// </summary>
internal static class ConnectionCloses
{
    public static void Report(ConnectionReads reads, System.Action<Diagnostic> report)
    {
        foreach (IPropertyReferenceOperation read in reads.Reads)
        {
            Check(read, read, report);
        }

        foreach (ILocalReferenceOperation reference in reads.LocalReads)
        {
            Check(reference, reads.Locals[reference.Local], report);
        }
    }

    private static void Check(IOperation connection, IPropertyReferenceOperation read, System.Action<Diagnostic> report)
    {
        (IOperation? parent, IOperation child) = LeaseOperations.Consumer(connection);
        switch (parent)
        {
            case IInvocationOperation invocation when invocation.Instance == child && Closes(invocation) is { } verb:
                Add(invocation.Syntax, $"'{invocation.Syntax}'", verb);
                break;

            case IConditionalAccessOperation access when access.Operation == child
                                                         && access.WhenNotNull is IInvocationOperation { Instance: IConditionalAccessInstanceOperation } invocation
                                                         && Closes(invocation) is { } verb:
                Add(access.Syntax, $"'{access.Syntax}'", verb);
                break;

            case IUsingOperation @using when @using.Resources == child:
                Add(child.Syntax, $"The 'using' of '{child.Syntax}'", "disposes");
                break;

            // 'using var connection = lease.Connection;', 'using (var connection = lease.Connection)'.
            case IVariableInitializerOperation { Parent: IVariableDeclaratorOperation declarator }
                when declarator.Parent?.Parent is { } group
                     && (group.Parent is IUsingDeclarationOperation || group.Parent is IUsingOperation { Resources: var resources } && resources == group):
                Add(declarator.Syntax, $"The 'using' of '{declarator.Symbol.Name}'", "disposes");
                break;
        }

        void Add(SyntaxNode at, string what, string verb) =>
            report(Diagnostic.Create(DiagnosticDescriptors.PooledConnectionClosed, at.GetLocation(), what, verb, read.Instance!.Syntax.ToString()));
    }

    private static string? Closes(IInvocationOperation invocation) => invocation.TargetMethod switch
    {
        { Name: "Dispose" or "DisposeAsync", Parameters.Length: 0 } => "disposes",
        { Name: "Close" or "CloseAsync" } => "closes",
        _ => null,
    };
}
