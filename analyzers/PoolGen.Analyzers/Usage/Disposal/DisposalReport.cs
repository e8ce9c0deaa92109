using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace PoolGen.Analyzers.Usage.Disposal;

/// <summary>
/// The POOL103 and POOL104 findings of one method, one per rule and place. The analysis visits a block again whenever
/// what reaches it grows, so a later finding at the same place replaces an earlier one: the last says the most.
/// </summary>
internal sealed class DisposalReport
{
    private readonly Dictionary<(string Id, SyntaxNode Node), Diagnostic> _findings = new();

    public void Add(DiagnosticDescriptor descriptor, SyntaxNode node, IOperation? related, params object[] arguments)
    {
        IEnumerable<Location>? additional = related is null ? null : new[] { related.Syntax.GetLocation() };
        _findings[(descriptor.Id, node)] = Diagnostic.Create(descriptor, node.GetLocation(), additional, arguments);
    }

    /// <summary>The findings in source order.</summary>
    public IEnumerable<Diagnostic> Diagnostics => _findings.Values.OrderBy(d => d.Location.SourceSpan.Start).ThenBy(d => d.Id);
}
