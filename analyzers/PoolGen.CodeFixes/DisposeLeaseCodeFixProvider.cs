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

namespace PoolGen.CodeFixes;

/// <summary>
/// POOL101: turns <c>var lease = pool.Rent();</c> into <c>using var lease = pool.Rent();</c>, and
/// <c>var lease = await pool.RentAsync();</c> into <c>await using var lease = ...</c>, so every path disposes it.
/// For <c>if (pool.TryRent(out var lease)) { ... }</c> it wraps the success branch in <c>using (lease) { ... }</c>.
/// Offered only when nothing else in the method disposes, returns, reassigns or re-wraps that local, or gives it to a
/// constructor: there, a using would dispose the lease twice or hand the caller (or the object built) a disposed one.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(DisposeLeaseCodeFixProvider))]
public sealed class DisposeLeaseCodeFixProvider : CodeFixProvider
{
    private const string Title = "Dispose the lease with a using declaration";

    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create("POOL101");

    /// <inheritdoc/>
    public override FixAllProvider GetFixAllProvider() => FixAllProvider.Create(FixAllAsync);

    /// <inheritdoc/>
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        SyntaxNode? root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        SemanticModel? model = await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
        foreach (Diagnostic diagnostic in context.Diagnostics)
        {
            if (root is not null && model is not null && FindFixable(root, model, diagnostic, context.CancellationToken) is not null)
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

        var fixable = new HashSet<StatementSyntax>();
        foreach (Diagnostic diagnostic in diagnostics)
        {
            if (FindFixable(root, model, diagnostic, cancellationToken) is { } statement)
            {
                fixable.Add(statement);
            }
        }

        // An if may hold a declaration fixed in the same batch: ReplaceNodes hands over the rewritten children.
        return document.WithSyntaxRoot(root.ReplaceNodes(fixable, (_, rewritten) => rewritten switch
        {
            LocalDeclarationStatementSyntax declaration => UsingDeclaration(declaration),
            IfStatementSyntax tryRent => UsingBranch(tryRent),
            _ => rewritten,
        }));
    }

    private static StatementSyntax? FindFixable(SyntaxNode root, SemanticModel model, Diagnostic diagnostic, CancellationToken cancellationToken) =>
        (StatementSyntax?)FindDeclaration(root, model, diagnostic, cancellationToken) ?? FindTryRent(root, model, diagnostic, cancellationToken);

    // 'if (pool.TryRent(out var lease)) ...' reported at the TryRent call that is the whole condition.
    private static IfStatementSyntax? FindTryRent(SyntaxNode root, SemanticModel model, Diagnostic diagnostic, CancellationToken cancellationToken)
    {
        SyntaxNode node = root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true);
        if (node.FirstAncestorOrSelf<InvocationExpressionSyntax>() is not { } invocation
            || invocation.Parent is not IfStatementSyntax statement
            || statement.Condition != invocation)
        {
            return null;
        }

        foreach (ArgumentSyntax argument in invocation.ArgumentList.Arguments)
        {
            if (argument.RefKindKeyword.IsKind(SyntaxKind.OutKeyword)
                && argument.Expression is DeclarationExpressionSyntax { Designation: SingleVariableDesignationSyntax designation }
                && model.GetDeclaredSymbol(designation, cancellationToken) is ILocalSymbol local)
            {
                SyntaxNode scope = statement.Parent is GlobalStatementSyntax ? root : statement.Parent!;
                return HandledElsewhere(scope, model, local, argument, cancellationToken) ? null : statement;
            }
        }

        return null;
    }

    // The declaration 'var lease = <the reported rent>;' when a using declaration may stand in its place.
    private static LocalDeclarationStatementSyntax? FindDeclaration(SyntaxNode root, SemanticModel model, Diagnostic diagnostic, CancellationToken cancellationToken)
    {
        SyntaxNode node = root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true);
        if (node.FirstAncestorOrSelf<VariableDeclaratorSyntax>() is not { Initializer: { } initializer } declarator
            || !initializer.Value.Span.Contains(node.Span)
            || declarator.Parent is not VariableDeclarationSyntax { Variables.Count: 1, Parent: LocalDeclarationStatementSyntax statement }
            || statement.UsingKeyword != default
            || statement.Parent is not (BlockSyntax or GlobalStatementSyntax)
            || model.GetDeclaredSymbol(declarator, cancellationToken) is not ILocalSymbol local)
        {
            return null; // a using declaration cannot stand directly in a switch section or as an embedded statement
        }

        SyntaxNode scope = statement.Parent is GlobalStatementSyntax ? root : statement.Parent;
        return HandledElsewhere(scope, model, local, declarator, cancellationToken) ? null : statement;
    }

    // Whether the method already disposes, returns, reassigns or wraps the local in a using somewhere.
    private static bool HandledElsewhere(SyntaxNode scope, SemanticModel model, ILocalSymbol local, SyntaxNode declaration, CancellationToken cancellationToken)
    {
        foreach (IdentifierNameSyntax name in scope.DescendantNodes().OfType<IdentifierNameSyntax>())
        {
            if (name.Identifier.ValueText != local.Name || declaration.Span.Contains(name.Span)
                || !SymbolEqualityComparer.Default.Equals(model.GetSymbolInfo(name, cancellationToken).Symbol, local))
            {
                continue;
            }

            SyntaxNode parent = name.Parent!;
            bool handled = parent switch
            {
                MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Dispose" or "DisposeAsync" } access => access.Expression == name,
                ReturnStatementSyntax or YieldStatementSyntax or UsingStatementSyntax => true,
                AssignmentExpressionSyntax assignment => assignment.Left == name,
                // A lease given to a constructor is kept by the object it builds: a using would hand it a disposed lease.
                ArgumentSyntax argument => !argument.RefKindKeyword.IsKind(SyntaxKind.None)
                                           || argument.Parent?.Parent is BaseObjectCreationExpressionSyntax,
                ArrowExpressionClauseSyntax => true,
                _ => false,
            };
            if (handled)
            {
                return true;
            }
        }

        return false;
    }

    private static IfStatementSyntax UsingBranch(IfStatementSyntax statement)
    {
        var argument = statement.DescendantNodes().OfType<ArgumentSyntax>()
            .First(a => a.RefKindKeyword.IsKind(SyntaxKind.OutKeyword) && a.Expression is DeclarationExpressionSyntax);
        string name = ((SingleVariableDesignationSyntax)((DeclarationExpressionSyntax)argument.Expression).Designation).Identifier.ValueText;
        StatementSyntax body = statement.Statement is BlockSyntax block ? block.WithoutTrivia() : SyntaxFactory.Block(statement.Statement.WithoutTrivia());
        UsingStatementSyntax @using = SyntaxFactory.UsingStatement(null, SyntaxFactory.IdentifierName(name), body);
        return statement
            .WithStatement(SyntaxFactory.Block(@using).WithTriviaFrom(statement.Statement))
            .WithAdditionalAnnotations(Formatter.Annotation);
    }

    private static LocalDeclarationStatementSyntax UsingDeclaration(LocalDeclarationStatementSyntax statement)
    {
        SyntaxTriviaList leading = statement.GetLeadingTrivia();
        LocalDeclarationStatementSyntax local = statement.WithoutLeadingTrivia()
            .WithUsingKeyword(SyntaxFactory.Token(SyntaxFactory.TriviaList(), SyntaxKind.UsingKeyword, SyntaxFactory.TriviaList(SyntaxFactory.Space)));
        if (statement.Declaration.Variables[0].Initializer?.Value is AwaitExpressionSyntax)
        {
            local = local.WithAwaitKeyword(SyntaxFactory.Token(SyntaxFactory.TriviaList(), SyntaxKind.AwaitKeyword, SyntaxFactory.TriviaList(SyntaxFactory.Space)));
        }

        return local.WithLeadingTrivia(leading).WithAdditionalAnnotations(Formatter.Annotation);
    }
}
