using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.Diagnostics;

namespace PoolGen.Analyzers.Tests.Infrastructure;

/// <summary>
/// Applies a code fix the way the IDE does: in a workspace, through the fix's <see cref="CodeAction"/> and its
/// operations (which format and simplify), one diagnostic at a time or all at once through the fix-all provider.
/// </summary>
internal static class CodeFixHarness
{
    /// <summary>The user source after fixing its first diagnostic, or every diagnostic when <paramref name="fixAll"/>.</summary>
    public static async Task<string> ApplyAsync(DiagnosticAnalyzer analyzer, CodeFixProvider fix, string source, bool fixAll = false)
    {
        using var workspace = new AdhocWorkspace();
        Document document = CreateDocument(workspace, source);
        ImmutableArray<Diagnostic> diagnostics = await DiagnosticsAsync(document, analyzer, fix);
        Assert.NotEmpty(diagnostics);

        CodeAction action = fixAll
            ? await FixAllActionAsync(document, fix, diagnostics)
            : await SingleActionAsync(document, fix, diagnostics[0]);
        Solution changed = await ApplyAsync(action, document.Project.Solution);
        Document fixedDocument = changed.GetDocument(document.Id)!;
        return (await fixedDocument.GetTextAsync()).ToString();
    }

    /// <summary>Whether the fix offers anything for the first diagnostic of <paramref name="source"/>.</summary>
    public static async Task<bool> OffersFixAsync(DiagnosticAnalyzer analyzer, CodeFixProvider fix, string source)
    {
        using var workspace = new AdhocWorkspace();
        Document document = CreateDocument(workspace, source);
        ImmutableArray<Diagnostic> diagnostics = await DiagnosticsAsync(document, analyzer, fix);
        Assert.NotEmpty(diagnostics);
        return (await ActionsAsync(document, fix, diagnostics[0])).Count > 0;
    }

    // The user's file, the common usings and the generator's output, as documents of one project.
    private static Document CreateDocument(AdhocWorkspace workspace, string source)
    {
        (Compilation generated, _) = TestCompilation.CreateWithGenerated(source);
        var projectId = ProjectId.CreateNewId();
        Solution solution = workspace.CurrentSolution.AddProject(ProjectInfo.Create(
            projectId, VersionStamp.Default, "User", "PoolGen.UserCode", LanguageNames.CSharp,
            compilationOptions: TestCompilation.Options, parseOptions: TestCompilation.ParseOptions,
            metadataReferences: TestCompilation.References));

        var documentId = DocumentId.CreateNewId(projectId);
        solution = solution
            .AddDocument(documentId, "User.cs", source)
            .AddDocument(DocumentId.CreateNewId(projectId), "Prelude.cs", TestCompilation.Prelude);
        int i = 0;
        foreach (SyntaxTree tree in generated.SyntaxTrees.Where(t => t.FilePath.EndsWith(".g.cs", System.StringComparison.Ordinal)))
        {
            solution = solution.AddDocument(DocumentId.CreateNewId(projectId), $"Generated{i++}.cs", tree.GetText());
        }

        Assert.True(workspace.TryApplyChanges(solution));
        return workspace.CurrentSolution.GetDocument(documentId)!;
    }

    private static async Task<ImmutableArray<Diagnostic>> DiagnosticsAsync(Document document, DiagnosticAnalyzer analyzer, CodeFixProvider fix)
    {
        Compilation compilation = (await document.Project.GetCompilationAsync())!;
        SyntaxTree tree = (await document.GetSyntaxTreeAsync())!;
        return AnalyzerHarness.Run(compilation, ImmutableArray.Create(analyzer))
            .Where(d => d.Location.SourceTree == tree && fix.FixableDiagnosticIds.Contains(d.Id))
            .ToImmutableArray();
    }

    private static async Task<List<CodeAction>> ActionsAsync(Document document, CodeFixProvider fix, Diagnostic diagnostic)
    {
        var actions = new List<CodeAction>();
        var context = new CodeFixContext(document, diagnostic, (action, _) => actions.Add(action), CancellationToken.None);
        await fix.RegisterCodeFixesAsync(context);
        return actions;
    }

    private static async Task<CodeAction> SingleActionAsync(Document document, CodeFixProvider fix, Diagnostic diagnostic)
    {
        List<CodeAction> actions = await ActionsAsync(document, fix, diagnostic);
        return Assert.Single(actions);
    }

    private static async Task<CodeAction> FixAllActionAsync(Document document, CodeFixProvider fix, ImmutableArray<Diagnostic> diagnostics)
    {
        CodeAction first = await SingleActionAsync(document, fix, diagnostics[0]);
        FixAllProvider provider = fix.GetFixAllProvider()!;
        var context = new FixAllContext(
            document, fix, FixAllScope.Document, first.EquivalenceKey, fix.FixableDiagnosticIds,
            new FixedDiagnostics(diagnostics), CancellationToken.None);
        return (await provider.GetFixAsync(context))!;
    }

    private static async Task<Solution> ApplyAsync(CodeAction action, Solution solution)
    {
        ImmutableArray<CodeActionOperation> operations = await action.GetOperationsAsync(CancellationToken.None);
        return Assert.Single(operations.OfType<ApplyChangesOperation>()).ChangedSolution;
    }

    private sealed class FixedDiagnostics(ImmutableArray<Diagnostic> diagnostics) : FixAllContext.DiagnosticProvider
    {
        public override Task<IEnumerable<Diagnostic>> GetDocumentDiagnosticsAsync(Document document, CancellationToken cancellationToken) =>
            Task.FromResult<IEnumerable<Diagnostic>>(diagnostics);

        public override Task<IEnumerable<Diagnostic>> GetProjectDiagnosticsAsync(Project project, CancellationToken cancellationToken) =>
            Task.FromResult<IEnumerable<Diagnostic>>(diagnostics);

        public override Task<IEnumerable<Diagnostic>> GetAllDiagnosticsAsync(Project project, CancellationToken cancellationToken) =>
            Task.FromResult<IEnumerable<Diagnostic>>(diagnostics);
    }
}
