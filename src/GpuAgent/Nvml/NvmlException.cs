namespace AiSidecar.GpuAgent.Nvml;

/// <summary>An NVML call returned an error code.</summary>
internal sealed class NvmlException : Exception
{
    internal NvmlException(NvmlReturn code, string function)
        : base($"{function} failed: {code.ToErrorName()}")
    {
        Code = code;
        Function = function;
        ErrorName = code.ToErrorName();
    }

    /// <summary>The NVML symbol that failed.</summary>
    public string Function { get; }

    /// <summary>The C name of the code, for example <c>NVML_ERROR_GPU_IS_LOST</c>.</summary>
    public string ErrorName { get; }

    internal NvmlReturn Code { get; }
}
