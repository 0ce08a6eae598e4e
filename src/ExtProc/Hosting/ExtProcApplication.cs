namespace AiSidecar.ExtProc.Hosting;

/// <summary>Builds the ext_proc server application.</summary>
public static class ExtProcApplication
{
    /// <summary>Builds the application from command-line arguments.</summary>
    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        return builder.Build();
    }
}
