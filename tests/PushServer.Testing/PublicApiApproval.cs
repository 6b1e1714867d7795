using System.Reflection;
using System.Runtime.CompilerServices;
using Xunit;

namespace PushServer.Testing;

/// <summary>
/// Pins an assembly's public surface against a list approved by hand: a change shows up as a diff of the approved
/// file. To accept one, copy the .received.txt file written next to the test binaries over the approved file.
/// </summary>
public static class PublicApiApproval
{
    /// <param name="assembly">The assembly whose exported types are described.</param>
    /// <param name="approvedFileName">The approved list, copied next to the test binaries.</param>
    public static void AssertMatchesApproved(Assembly assembly, string approvedFileName)
    {
        var received = string.Join("\n", Describe(assembly)) + "\n";
        var approvedPath = Path.Combine(AppContext.BaseDirectory, approvedFileName);
        var approved = File.Exists(approvedPath) ? File.ReadAllText(approvedPath).Replace("\r\n", "\n") : "";
        if (approved != received)
        {
            File.WriteAllText(Path.Combine(AppContext.BaseDirectory, approvedFileName.Replace(".approved.", ".received.", StringComparison.Ordinal)), received);
        }
        Assert.Equal(approved, received);
    }

    private static IEnumerable<string> Describe(Assembly assembly)
    {
        const BindingFlags flags = BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
        foreach (var type in assembly.GetExportedTypes().OrderBy(t => t.FullName, StringComparer.Ordinal))
        {
            yield return Kind(type) + " " + type.FullName;
            var members = type.GetMembers(flags)
                .Where(m => m is not MethodInfo { IsSpecialName: true })
                .Where(m => m.GetCustomAttribute<CompilerGeneratedAttribute>() is null)
                .Select(m => "  " + Member(m))
                .Order(StringComparer.Ordinal);
            foreach (var member in members)
            {
                yield return member;
            }
        }
    }

    private static string Kind(Type t) =>
        t.IsEnum ? "enum" : t.IsInterface ? "interface" : t.IsValueType ? "struct" : t.IsAbstract && t.IsSealed ? "static class" : t.IsAbstract ? "abstract class" : "class";

    private static string Member(MemberInfo m) => m switch
    {
        ConstructorInfo c => "ctor(" + Params(c.GetParameters()) + ")",
        MethodInfo mi => (mi.IsStatic ? "static " : mi.IsAbstract ? "abstract " : mi.IsVirtual && mi.GetBaseDefinition() == mi ? "virtual " : "")
            + Name(mi.ReturnType) + " " + mi.Name + (mi.IsGenericMethod ? "<" + string.Join(",", mi.GetGenericArguments().Select(Name)) + ">" : "")
            + "(" + Params(mi.GetParameters()) + ")",
        PropertyInfo p => Name(p.PropertyType) + " " + p.Name + (p.GetIndexParameters().Length > 0 ? "[" + Params(p.GetIndexParameters()) + "]" : "")
            + " {" + (p.GetMethod?.IsPublic == true ? " get;" : "") + (p.SetMethod?.IsPublic == true ? (p.SetMethod.ReturnParameter.GetRequiredCustomModifiers().Any(x => x.Name == "IsExternalInit") ? " init;" : " set;") : "") + " }",
        FieldInfo f => (f.IsLiteral ? "const " : f.IsStatic ? "static " : "") + Name(f.FieldType) + " " + f.Name,
        EventInfo e => "event " + Name(e.EventHandlerType!) + " " + e.Name,
        Type nested => "nested " + nested.Name,
        _ => m.ToString()!,
    };

    private static string Params(ParameterInfo[] ps) =>
        string.Join(", ", ps.Select(p => (p.GetCustomAttribute<ParamArrayAttribute>() is null ? "" : "params ") + Name(p.ParameterType) + " " + p.Name
            + (p.HasDefaultValue ? " = " + (p.DefaultValue ?? "null") : "")));

    private static string Name(Type t)
    {
        if (t.IsGenericType)
        {
            var name = t.Name[..t.Name.IndexOf('`')];
            return name + "<" + string.Join(",", t.GetGenericArguments().Select(Name)) + ">";
        }
        if (t.IsArray)
        {
            return Name(t.GetElementType()!) + "[]";
        }
        return t.IsByRef ? Name(t.GetElementType()!) + "&" : t.Name;
    }
}
