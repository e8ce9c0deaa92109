using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace PoolGen.Analyzers.Usage;

/// <summary>
/// POOL107: a pool's synchronous <c>Rent</c> inside an async method, local function or lambda. When the pool is
/// exhausted, <c>Rent</c> blocks a thread-pool thread, which async code needs free to make progress.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class SyncRentInAsyncAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(DiagnosticDescriptors.SyncRentInAsync);

    /// <inheritdoc/>
    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterOperationAction(Analyze, OperationKind.Invocation);
    }

    private static void Analyze(OperationAnalysisContext context)
    {
        var invocation = (IInvocationOperation)context.Operation;
        IMethodSymbol method = invocation.TargetMethod;

        // Cheapest tests first: the name, then the lease type, then the pool attribute, then the syntax around.
        if (method.Name != "Rent" || !LeaseTypes.IsLease(method.ReturnType) || !LeaseTypes.IsPool(method.ContainingType)
            || !IsInAsyncCode(invocation.Syntax, context.ContainingSymbol))
        {
            return;
        }

        context.ReportDiagnostic(Diagnostic.Create(
            DiagnosticDescriptors.SyncRentInAsync, invocation.Syntax.GetLocation(), invocation.Syntax.ToString(), Receiver(invocation.Syntax)));
    }

    // The nearest function around the call decides: a sync lambda inside an async method is not async code.
    private static bool IsInAsyncCode(SyntaxNode node, ISymbol containingSymbol)
    {
        for (SyntaxNode? current = node.Parent; current is not null; current = current.Parent)
        {
            switch (current)
            {
                case AnonymousFunctionExpressionSyntax function:
                    return function.AsyncKeyword.IsKind(SyntaxKind.AsyncKeyword);
                case LocalFunctionStatementSyntax local:
                    return local.Modifiers.Any(SyntaxKind.AsyncKeyword);
                case MethodDeclarationSyntax declared:
                    return declared.Modifiers.Any(SyntaxKind.AsyncKeyword);
                case BaseMethodDeclarationSyntax or AccessorDeclarationSyntax or PropertyDeclarationSyntax or FieldDeclarationSyntax:
                    return false;
                case GlobalStatementSyntax:
                    return containingSymbol is IMethodSymbol { IsAsync: true }; // top-level statements that await
            }
        }

        return false;
    }

    // 'pool.Rent' for 'pool.Rent(timeout)', so the message shows the replacement 'pool.RentAsync(...)'.
    private static string Receiver(SyntaxNode syntax) =>
        syntax is InvocationExpressionSyntax { Expression: var expression } ? expression.ToString() : "Rent";
}
