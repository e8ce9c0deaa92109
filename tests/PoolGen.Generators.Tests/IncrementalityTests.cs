using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using PoolGen.Generators.Tests.Infrastructure;

namespace PoolGen.Generators.Tests;

/// <summary>
/// The pipeline caches: an edit that does not change a pool leaves every step <c>Cached</c> or <c>Unchanged</c>, so the
/// emitter does not run on each keystroke; an edit that changes a pool flows through to its file.
/// </summary>
public sealed class IncrementalityTests
{
    private static readonly string[] StepNames = { TrackingNames.Model, TrackingNames.ValidModel };

    [Fact]
    public void Generate_WhenUnrelatedFileIsAdded_EveryStepIsCached()
    {
        Compilation compilation = TestCompilation.Create(Sources.SyncFactoryWithValidate, Sources.FakeConnection);
        GeneratorDriver driver = GeneratorHarness.CreateDriver().RunGenerators(compilation);

        Compilation edited = compilation.AddSyntaxTrees(
            CSharpSyntaxTree.ParseText("public sealed class Unrelated { }", TestCompilation.ParseOptions));
        GeneratorRunResult result = driver.RunGenerators(edited).GetRunResult().Results.Single();

        AssertAllCachedOrUnchanged(result);
    }

    [Fact]
    public void Generate_WhenUnrelatedFileIsEdited_EveryStepIsCached()
    {
        Compilation compilation = TestCompilation.Create(Sources.SyncFactoryWithValidate, Sources.FakeConnection);
        GeneratorDriver driver = GeneratorHarness.CreateDriver().RunGenerators(compilation);

        Compilation edited = ReplaceText(compilation, Sources.FakeConnection, "public int Resets", "public long Resets");
        GeneratorRunResult result = driver.RunGenerators(edited).GetRunResult().Results.Single();

        AssertAllCachedOrUnchanged(result);
    }

    [Fact]
    public void Generate_WhenPoolFileChangesOnlyInBodies_ModelIsUnchanged()
    {
        Compilation compilation = TestCompilation.Create(Sources.SyncFactoryWithValidate, Sources.FakeConnection);
        GeneratorDriver driver = GeneratorHarness.CreateDriver().RunGenerators(compilation);

        Compilation edited = ReplaceText(compilation, Sources.SyncFactoryWithValidate, "c.Open(); return c;", "c.Open(); /* opened */ return c;");
        GeneratorRunResult result = driver.RunGenerators(edited).GetRunResult().Results.Single();

        // The transform runs again for the edited file, but yields an equal model, so nothing downstream runs.
        AssertAllCachedOrUnchanged(result);
    }

    [Fact]
    public void Generate_WhenAttributeArgumentChanges_ModelIsModifiedAndOutputFollows()
    {
        Compilation compilation = TestCompilation.Create(Sources.SyncFactoryWithValidate, Sources.FakeConnection);
        GeneratorDriver driver = GeneratorHarness.CreateDriver().RunGenerators(compilation);

        Compilation edited = ReplaceText(compilation, Sources.SyncFactoryWithValidate, "Max = 16", "Max = 17");
        GeneratorRunResult result = driver.RunGenerators(edited).GetRunResult().Results.Single();

        IncrementalStepRunReason[] modelReasons = Reasons(result, TrackingNames.Model).ToArray();
        Assert.Contains(IncrementalStepRunReason.Modified, modelReasons);
        string generated = Assert.Single(result.GeneratedSources).SourceText.ToString();
        Assert.Contains("Max = 17,", generated);
    }

    private static void AssertAllCachedOrUnchanged(GeneratorRunResult result)
    {
        foreach (string step in StepNames)
        {
            Assert.True(result.TrackedSteps.ContainsKey(step), $"Step '{step}' was not tracked.");
            Assert.All(Reasons(result, step), reason =>
                Assert.True(reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"Step '{step}' was {reason}."));
        }

        Assert.All(result.TrackedOutputSteps.SelectMany(pair => pair.Value).SelectMany(step => step.Outputs), output =>
            Assert.Equal(IncrementalStepRunReason.Cached, output.Reason));
    }

    private static IEnumerable<IncrementalStepRunReason> Reasons(GeneratorRunResult result, string step) =>
        result.TrackedSteps[step].SelectMany(run => run.Outputs).Select(output => output.Reason);

    private static Compilation ReplaceText(Compilation compilation, string source, string oldText, string newText)
    {
        SyntaxTree tree = compilation.SyntaxTrees.Single(t => t.ToString() == source);
        Assert.Contains(oldText, source);
        SyntaxTree edited = tree.WithChangedText(Microsoft.CodeAnalysis.Text.SourceText.From(source.Replace(oldText, newText)));
        return compilation.ReplaceSyntaxTree(tree, edited);
    }
}
