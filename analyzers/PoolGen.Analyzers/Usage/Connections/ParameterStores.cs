using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace PoolGen.Analyzers.Usage.Connections;

/// <summary>
/// Whether a method in source keeps what it is given in a parameter: its body assigns the parameter to a field or
/// property of its object (<c>_last = connection;</c>, <c>this.Last = connection;</c>). Read from the syntax alone,
/// because an analyzer must not ask for the semantic model of another file; a name the method also declares as a local
/// is not taken for a field.
/// </summary>
internal static class ParameterStores
{
    public static bool Stores(IParameterSymbol parameter)
    {
        foreach (SyntaxReference reference in parameter.ContainingSymbol.DeclaringSyntaxReferences)
        {
            SyntaxNode method = reference.GetSyntax();
            foreach (AssignmentExpressionSyntax assignment in method.DescendantNodes().OfType<AssignmentExpressionSyntax>())
            {
                if (assignment.Right is IdentifierNameSyntax { Identifier.ValueText: var value } && value == parameter.Name
                    && Target(assignment.Left) is { } target
                    && !method.DescendantNodes().OfType<VariableDeclaratorSyntax>().Any(local => local.Identifier.ValueText == target))
                {
                    return true;
                }
            }
        }

        return false;
    }

    // The member an assignment writes when it names one of this object's: 'field', 'this.field'.
    private static string? Target(ExpressionSyntax left) => left switch
    {
        IdentifierNameSyntax name => name.Identifier.ValueText,
        MemberAccessExpressionSyntax { Expression: ThisExpressionSyntax, Name: var name } => name.Identifier.ValueText,
        _ => null,
    };
}
