using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace PoolGen.Analyzers.Usage.Disposal;

/// <summary>How findings name the place a lease was disposed: the code the user wrote, and its line.</summary>
internal static class DisposalSites
{
    /// <summary>
    /// <c>'lease.Dispose()' at line 12</c>, <c>the 'using' at line 10</c> for the disposal a using or foreach adds,
    /// <c>'Keep(lease)' at line 14</c> for a hand-over to a <c>[TakesLease]</c> parameter.
    /// </summary>
    public static string Describe(IOperation site)
    {
        int line = site.Syntax.GetLocation().GetLineSpan().StartLinePosition.Line + 1;
        return site switch
        {
            IArgumentOperation { Parent: { } call } => $"'{call.Syntax}' at line {line}",
            { IsImplicit: true } => $"the 'using' at line {line}",
            _ => $"'{site.Syntax}' at line {line}",
        };
    }

    /// <summary>The operation that names what a disposal disposed: the call's receiver, or the argument's value.</summary>
    public static IOperation? Disposed(IOperation site) => site switch
    {
        IInvocationOperation invocation => invocation.Instance,
        IArgumentOperation argument => argument.Value,
        _ => null,
    };
}
