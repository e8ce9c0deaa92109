using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using PoolGen.Analyzers.Usage;

namespace PoolGen.CodeFixes;

/// <summary>
/// POOL101: when the leaked lease is passed to a constructor or method parameter that stores it in a field or property
/// (<c>return new Session(lease);</c> with <c>_lease = lease;</c> in the constructor), the callee owns the lease:
/// marks that parameter <c>[TakesLease]</c>, which ends the caller's obligation at the call.
/// </summary>
/// <remarks>
/// The parameter may be declared in another document of the solution; the fix edits that one. It is offered only for a
/// parameter in source that is stored, so that it never turns a borrow into a hand-over nobody disposes.
/// </remarks>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(AddTakesLeaseCodeFixProvider))]
public sealed class AddTakesLeaseCodeFixProvider : CodeFixProvider
{
    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create("POOL101");

    /// <inheritdoc/>
    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    /// <inheritdoc/>
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        SyntaxNode? root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        SemanticModel? model = await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null || model is null)
        {
            return;
        }

        Solution solution = context.Document.Project.Solution;
        foreach (Diagnostic diagnostic in context.Diagnostics)
        {
            SyntaxNode node = root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true);
            if (LeasedLocal(node, model, context.CancellationToken) is not { } local
                || await StoringParameterAsync(solution, model, node, local, context.CancellationToken).ConfigureAwait(false) is not { } parameter)
            {
                continue;
            }

            string title = $"Mark parameter '{parameter.Name}' of '{parameter.ContainingSymbol.ToDisplayString(SymbolDisplayFormat.CSharpShortErrorMessageFormat)}' [TakesLease]";
            context.RegisterCodeFix(
                CodeAction.Create(title, ct => AddAttributeAsync(solution, parameter, ct), equivalenceKey: "AddTakesLease"),
                diagnostic);
        }
    }

    // The local the reported rent went into: 'var lease = pool.Rent();', 'lease = pool.Rent();', 'TryRent(out var lease)'.
    private static ILocalSymbol? LeasedLocal(SyntaxNode node, SemanticModel model, CancellationToken cancellationToken)
    {
        if (node.FirstAncestorOrSelf<VariableDeclaratorSyntax>() is { Initializer: { } initializer } declarator && initializer.Value.Span.Contains(node.Span))
        {
            return model.GetDeclaredSymbol(declarator, cancellationToken) as ILocalSymbol;
        }

        if (node.Parent is AssignmentExpressionSyntax assignment && assignment.Right == node)
        {
            return model.GetSymbolInfo(assignment.Left, cancellationToken).Symbol as ILocalSymbol;
        }

        if (node.FirstAncestorOrSelf<InvocationExpressionSyntax>() is { } invocation)
        {
            foreach (ArgumentSyntax argument in invocation.ArgumentList.Arguments)
            {
                if (argument.Expression is DeclarationExpressionSyntax { Designation: SingleVariableDesignationSyntax designation })
                {
                    return model.GetDeclaredSymbol(designation, cancellationToken) as ILocalSymbol;
                }
            }
        }

        return null;
    }

    // The first parameter in source, without [TakesLease], that the method around 'node' passes 'local' to and whose
    // method stores it in a field or property.
    private static async Task<IParameterSymbol?> StoringParameterAsync(
        Solution solution, SemanticModel model, SyntaxNode node, ILocalSymbol local, CancellationToken cancellationToken)
    {
        SyntaxNode? scope = node.Ancestors().FirstOrDefault(a => a is MemberDeclarationSyntax or GlobalStatementSyntax);
        if (scope is null)
        {
            return null;
        }

        foreach (ArgumentSyntax argument in scope.DescendantNodes().OfType<ArgumentSyntax>())
        {
            if (argument.Expression is not IdentifierNameSyntax name || name.Identifier.ValueText != local.Name
                || !SymbolEqualityComparer.Default.Equals(model.GetSymbolInfo(name, cancellationToken).Symbol, local)
                || model.GetOperation(argument, cancellationToken) is not Microsoft.CodeAnalysis.Operations.IArgumentOperation { Parameter: { } parameter }
                || !LeaseTypes.IsLease(parameter.Type) || LeaseOperations.TakesLease(parameter))
            {
                continue;
            }

            if (await StoresAsync(solution, parameter, cancellationToken).ConfigureAwait(false))
            {
                return parameter;
            }
        }

        return null;
    }

    // Whether the parameter's method assigns it to a field or property: 'field = lease;', 'Lease = lease;'.
    private static async Task<bool> StoresAsync(Solution solution, IParameterSymbol parameter, CancellationToken cancellationToken)
    {
        if (parameter.DeclaringSyntaxReferences.FirstOrDefault() is not { } reference
            || (await reference.GetSyntaxAsync(cancellationToken).ConfigureAwait(false)).FirstAncestorOrSelf<BaseMethodDeclarationSyntax>() is not { } method
            || solution.GetDocument(reference.SyntaxTree) is not { } document
            || await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false) is not { } model)
        {
            return false;
        }

        foreach (AssignmentExpressionSyntax assignment in method.DescendantNodes().OfType<AssignmentExpressionSyntax>())
        {
            if (assignment.Right is IdentifierNameSyntax value && value.Identifier.ValueText == parameter.Name
                && SymbolEqualityComparer.Default.Equals(model.GetSymbolInfo(value, cancellationToken).Symbol, parameter)
                && model.GetSymbolInfo(assignment.Left, cancellationToken).Symbol is IFieldSymbol or IPropertySymbol)
            {
                return true;
            }
        }

        return false;
    }

    private static async Task<Solution> AddAttributeAsync(Solution solution, IParameterSymbol parameter, CancellationToken cancellationToken)
    {
        SyntaxReference reference = parameter.DeclaringSyntaxReferences[0];
        Document document = solution.GetDocument(reference.SyntaxTree)!;
        SyntaxNode root = (await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false))!;
        SemanticModel model = (await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false))!;
        var declaration = (ParameterSyntax)root.FindNode(reference.Span, getInnermostNodeForTie: true).FirstAncestorOrSelf<ParameterSyntax>()!;

        // 'TakesLease' where the PoolGen namespace is imported, 'PoolGen.TakesLease' elsewhere.
        string name = model.LookupSymbols(declaration.SpanStart, name: "TakesLeaseAttribute").Any(s => s is INamedTypeSymbol)
            ? "TakesLease"
            : "PoolGen.TakesLease";
        AttributeListSyntax list = SyntaxFactory.AttributeList(SyntaxFactory.SingletonSeparatedList(SyntaxFactory.Attribute(SyntaxFactory.ParseName(name))))
            .WithTrailingTrivia(SyntaxFactory.Space);
        ParameterSyntax marked = declaration.AttributeLists.Count == 0
            ? declaration.WithoutLeadingTrivia().AddAttributeLists(list).WithLeadingTrivia(declaration.GetLeadingTrivia())
            : declaration.AddAttributeLists(list);
        return document.WithSyntaxRoot(root.ReplaceNode(declaration, marked)).Project.Solution;
    }
}
