using System;
using System.ComponentModel;
using System.Globalization;

namespace PoolGen;

/// <summary>
/// Reads a <see cref="PoolEndpoint"/> from <c>"host:port"</c> text, as <see cref="PoolEndpoint.Parse"/> does, so that
/// configuration binds <see cref="PoolOptions.Endpoints"/> from a list of strings.
/// </summary>
public sealed class PoolEndpointConverter : TypeConverter
{
    /// <inheritdoc/>
    public override bool CanConvertFrom(ITypeDescriptorContext? context, Type sourceType) =>
        sourceType == typeof(string) || base.CanConvertFrom(context, sourceType);

    /// <inheritdoc/>
    public override object? ConvertFrom(ITypeDescriptorContext? context, CultureInfo? culture, object value) =>
        value is string text ? PoolEndpoint.Parse(text) : base.ConvertFrom(context, culture, value);

    /// <inheritdoc/>
    public override object? ConvertTo(ITypeDescriptorContext? context, CultureInfo? culture, object? value, Type destinationType) =>
        destinationType == typeof(string) && value is PoolEndpoint endpoint
            ? endpoint.ToString()
            : base.ConvertTo(context, culture, value, destinationType);
}
