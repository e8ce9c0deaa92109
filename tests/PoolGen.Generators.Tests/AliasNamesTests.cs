using Microsoft.CodeAnalysis;
using PoolGen.Generators.Tests.Infrastructure;

namespace PoolGen.Generators.Tests;

/// <summary>
/// The generated file names the engine and handle types through <c>using</c> aliases; a name the user's code already
/// takes, where the alias would clash with it or be hidden by it, is passed over for a numbered one.
/// </summary>
public sealed class AliasNamesTests
{
    [Fact]
    public void Generate_NamesTheAliasesAfterTheClass()
    {
        string generated = GeneratorHarness.RunSingle(Sources.SyncFactoryWithValidate, Sources.FakeConnection).SourceText.ToString();

        Assert.Contains("using OrdersDbEngine = global::PoolGen.PoolEngine<", generated);
        Assert.Contains("using OrdersDbHandle = global::PoolGen.PoolHandle<", generated);
    }

    [Fact]
    public void Generate_WhenTheNamespaceOrTheClassTakesAnAliasName_NumbersItAndCompiles()
    {
        const string source = """
            using Fakes;
            using PoolGen;

            namespace Shop.Data
            {
                public sealed class OrdersDbEngine
                {
                }

                public partial class Databases
                {
                    public const int OrdersDbHandle = 1;

                    [ConnectionPool]
                    public partial class OrdersDb
                    {
                        public int OrdersDbHandle2 => OrdersDbHandle + 1;

                        private static FakeConnection Create() => new FakeConnection();
                    }
                }
            }
            """;

        (GeneratorRunResult result, Compilation output) = GeneratorHarness.Run(TestCompilation.Create(source, Sources.FakeConnection));
        string generated = Assert.Single(result.GeneratedSources).SourceText.ToString();

        Assert.Contains("using OrdersDbEngine2 = ", generated);
        Assert.Contains("using OrdersDbHandle3 = ", generated);
        Assert.Empty(GeneratorHarness.Problems(output));
    }
}
