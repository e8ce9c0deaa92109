using System.Collections.Immutable;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;

namespace PoolGen.CodeFixes;

/// <summary>
/// POOL107: replaces <c>pool.Rent(...)</c> with <c>await pool.RentAsync(...)</c>, and <c>using</c> with
/// <c>await using</c> when the call initialises a using declaration or statement.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(UseRentAsyncCodeFixProvider))]
public sealed class UseRentAsyncCodeFixProvider : CodeFixProvider
{
    private const string Title = "Use 'await RentAsync()'";

    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create("POOL107");

    /// <inheritdoc/>
    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    /// <inheritdoc/>
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        SyntaxNode? root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        foreach (Diagnostic diagnostic in context.Diagnostics)
        {
            if (root?.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true) is InvocationExpressionSyntax invocation
                && RenamedCall(invocation) is not null)
            {
                context.RegisterCodeFix(
                    CodeAction.Create(Title, ct => FixAsync(context.Document, invocation, ct), equivalenceKey: Title),
                    diagnostic);
            }
        }
    }

    private static async Task<Document> FixAsync(Document document, InvocationExpressionSyntax invocation, CancellationToken cancellationToken)
    {
        DocumentEditor editor = await DocumentEditor.CreateAsync(document, cancellationToken).ConfigureAwait(false);
        ExpressionSyntax awaited = SyntaxFactory.AwaitExpression(RenamedCall(invocation)!.WithoutTrivia());
        if (invocation.Parent is MemberAccessExpressionSyntax or ConditionalAccessExpressionSyntax or ElementAccessExpressionSyntax)
        {
            awaited = SyntaxFactory.ParenthesizedExpression(awaited); // (await pool.RentAsync()).Connection
        }

        editor.ReplaceNode(invocation, awaited.WithTriviaFrom(invocation));

        // using var lease = pool.Rent();  ->  await using var lease = await pool.RentAsync();
        if (invocation.Parent is EqualsValueClauseSyntax { Parent: VariableDeclaratorSyntax { Parent: VariableDeclarationSyntax declaration } })
        {
            if (declaration.Parent is LocalDeclarationStatementSyntax { AwaitKeyword.RawKind: 0 } local && local.UsingKeyword.IsKind(SyntaxKind.UsingKeyword))
            {
                editor.ReplaceNode(local, (node, _) => AddAwait((LocalDeclarationStatementSyntax)node));
            }
            else if (declaration.Parent is UsingStatementSyntax { AwaitKeyword.RawKind: 0 } statement)
            {
                editor.ReplaceNode(statement, (node, _) => AddAwait((UsingStatementSyntax)node));
            }
        }

        return editor.GetChangedDocument();
    }

    private static LocalDeclarationStatementSyntax AddAwait(LocalDeclarationStatementSyntax local) =>
        local.WithUsingKeyword(local.UsingKeyword.WithLeadingTrivia(SyntaxFactory.Space))
            .WithAwaitKeyword(SyntaxFactory.Token(SyntaxKind.AwaitKeyword).WithLeadingTrivia(local.UsingKeyword.LeadingTrivia));

    private static UsingStatementSyntax AddAwait(UsingStatementSyntax statement) =>
        statement.WithUsingKeyword(statement.UsingKeyword.WithLeadingTrivia(SyntaxFactory.Space))
            .WithAwaitKeyword(SyntaxFactory.Token(SyntaxKind.AwaitKeyword).WithLeadingTrivia(statement.UsingKeyword.LeadingTrivia));

    // 'pool.Rent(args)' -> 'pool.RentAsync(args)', 'Rent(args)' -> 'RentAsync(args)'; null for a call of another shape.
    private static InvocationExpressionSyntax? RenamedCall(InvocationExpressionSyntax invocation) => invocation.Expression switch
    {
        MemberAccessExpressionSyntax access =>
            invocation.WithExpression(access.WithName(SyntaxFactory.IdentifierName("RentAsync").WithTriviaFrom(access.Name))),
        IdentifierNameSyntax name =>
            invocation.WithExpression(SyntaxFactory.IdentifierName("RentAsync").WithTriviaFrom(name)),
        MemberBindingExpressionSyntax => null, // pool?.Rent(): awaiting a conditional call changes more than the call
        _ => null,
    };
}
