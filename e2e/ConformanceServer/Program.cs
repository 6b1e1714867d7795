public class EngineConformanceServerPlaceholder { public static void Main() { } }
