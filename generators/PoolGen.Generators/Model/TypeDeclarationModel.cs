namespace PoolGen.Generators.Model;

/// <summary>One partial type declaration to reopen, e.g. <c>static partial class Outer</c>.</summary>
/// <param name="Modifiers">Modifiers that every partial declaration must repeat (<c>static</c>, <c>ref</c>), or empty.</param>
/// <param name="Keyword">The declaration keyword: <c>class</c>, <c>struct</c>, <c>record</c>, <c>record struct</c> or <c>interface</c>.</param>
/// <param name="Name">The type's name, escaped when it is a C# keyword.</param>
internal sealed record TypeDeclarationModel(string Modifiers, string Keyword, string Name);
