using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Formatting;
using PoolGen.Analyzers.Usage;

namespace PoolGen.CodeFixes;

/// <summary>
/// POOL102: turns a discarded lease into <c>using var lease = pool.Rent();</c>, or
/// <c>await using var lease = await pool.RentAsync();</c> when it was awaited. Fix-all names the leases it adds
/// <c>lease</c>, <c>lease2</c>, … so they never clash.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(UseLeaseCodeFixProvider))]
public sealed class UseLeaseCodeFixProvider : CodeFixProvider
{
    private const string Title = "Keep the lease in a using declaration";

    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create("POOL102");

    /// <inheritdoc/>
    public override FixAllProvider GetFixAllProvider() => FixAllProvider.Create(FixAllAsync);

    /// <inheritdoc/>
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        SyntaxNode? root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        foreach (Diagnostic diagnostic in context.Diagnostics)
        {
            if (root is not null && FindStatement(root, diagnostic) is not null)
            {
                context.RegisterCodeFix(
                    CodeAction.Create(Title, ct => FixAsync(context.Document, new[] { diagnostic }, ct), equivalenceKey: Title),
                    diagnostic);
            }
        }
    }

    private static async Task<Document?> FixAllAsync(FixAllContext context, Document document, ImmutableArray<Diagnostic> diagnostics) =>
        await FixAsync(document, diagnostics, context.CancellationToken).ConfigureAwait(false);

    private static async Task<Document> FixAsync(Document document, IEnumerable<Diagnostic> diagnostics, CancellationToken cancellationToken)
    {
        SyntaxNode? root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        SemanticModel? model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        if (root is null || model is null)
        {
            return document;
        }

        // Each statement gets a name unused where it stands and unused by the other fixes of this batch, in any
        // scope: a lease added in an outer block must not clash with one added in a block nested in it.
        var replacements = new Dictionary<SyntaxNode, SyntaxNode>();
        var taken = new HashSet<string>();
        foreach (Diagnostic diagnostic in diagnostics.OrderBy(d => d.Location.SourceSpan.Start))
        {
            ExpressionStatementSyntax? statement = FindStatement(root, diagnostic);
            if (statement is null || replacements.ContainsKey(statement))
            {
                continue;
            }

            string name = UniqueName(model, statement.SpanStart, taken);
            taken.Add(name);
            replacements[statement] = UsingDeclaration(statement, name);
        }

        return document.WithSyntaxRoot(root.ReplaceNodes(replacements.Keys, (original, _) => replacements[original]));
    }

    // The statement that holds the discarded call, when a using declaration may stand in its place.
    private static ExpressionStatementSyntax? FindStatement(SyntaxNode root, Diagnostic diagnostic)
    {
        SyntaxNode node = root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true);
        ExpressionStatementSyntax? statement = node.FirstAncestorOrSelf<ExpressionStatementSyntax>();
        if (statement?.Parent is not (BlockSyntax or GlobalStatementSyntax))
        {
            return null; // a using declaration cannot be an embedded statement or stand directly in a switch section
        }

        // An un-awaited 'pool.RentAsync();' is left alone: whether to await it is the user's decision.
        diagnostic.Properties.TryGetValue(LeaseDiscardedAnalyzer.ShapeProperty, out string? shape);
        return shape is LeaseDiscardedAnalyzer.Lease or LeaseDiscardedAnalyzer.AwaitedLease ? statement : null;
    }

    private static ExpressionSyntax Value(ExpressionSyntax expression) =>
        expression is AssignmentExpressionSyntax { Left: IdentifierNameSyntax { Identifier.ValueText: "_" } } discard
            ? discard.Right
            : expression;

    private static LocalDeclarationStatementSyntax UsingDeclaration(ExpressionStatementSyntax statement, string name)
    {
        ExpressionSyntax value = Value(statement.Expression).WithoutTrivia();
        VariableDeclarationSyntax declaration = SyntaxFactory.VariableDeclaration(
            SyntaxFactory.IdentifierName("var"),
            SyntaxFactory.SingletonSeparatedList(
                SyntaxFactory.VariableDeclarator(SyntaxFactory.Identifier(name))
                    .WithInitializer(SyntaxFactory.EqualsValueClause(value))));

        LocalDeclarationStatementSyntax local = SyntaxFactory.LocalDeclarationStatement(declaration)
            .WithUsingKeyword(SyntaxFactory.Token(SyntaxKind.UsingKeyword));
        if (value is AwaitExpressionSyntax)
        {
            local = local.WithAwaitKeyword(SyntaxFactory.Token(SyntaxKind.AwaitKeyword));
        }

        return local.WithTriviaFrom(statement).WithAdditionalAnnotations(Formatter.Annotation);
    }

    private static string UniqueName(SemanticModel model, int position, HashSet<string> taken)
    {
        for (int i = 1; ; i++)
        {
            string name = i == 1 ? "lease" : "lease" + i;
            if (!taken.Contains(name) && model.LookupSymbols(position, name: name).IsEmpty)
            {
                return name;
            }
        }
    }
}
