using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using PoolGen.Generators.Emitting;
using PoolGen.Generators.Model;
using PoolGen.Generators.Parsing;

namespace PoolGen.Generators;

/// <summary>
/// Adds a connection pool to every partial class marked <c>[ConnectionPool]</c>: Rent/RentAsync/TryRent, a typed
/// Lease, Stats and the pool's lifecycle, specialized for the class's connection type.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class ConnectionPoolGenerator : IIncrementalGenerator
{
    /// <inheritdoc/>
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        // ForAttributeWithMetadataName only wakes up for syntax carrying the attribute, and the transform returns a
        // value-equal model, so an edit anywhere else leaves every step cached and the emitter idle.
        IncrementalValuesProvider<PoolModel?> models = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                TypeNames.ConnectionPoolAttribute,
                predicate: static (node, _) => node is ClassDeclarationSyntax or RecordDeclarationSyntax,
                transform: static (context, cancellationToken) => PoolParser.Parse(context, cancellationToken))
            .WithTrackingName(TrackingNames.Model);

        // Classes that cannot be pools drop out here; the analyzer tells the user why.
        IncrementalValuesProvider<PoolModel> validModels = models
            .Where(static model => model is not null)
            .Select(static (model, _) => model!)
            .WithTrackingName(TrackingNames.ValidModel);

        context.RegisterSourceOutput(validModels, static (output, model) =>
            output.AddSource(model.HintName, PoolEmitter.Emit(model, output.CancellationToken)));
    }
}
