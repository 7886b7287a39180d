using System.Runtime;
using System.Runtime.InteropServices;

namespace Relay.Host.Memory;

/// <summary>The process-wide part of an idle trim: the managed heap, then the native allocator.</summary>
internal static partial class ProcessMemory
{
    // glibc only: musl (Alpine) has no malloc_trim, and other systems have other allocators.
    private static bool s_mallocTrimAvailable = OperatingSystem.IsLinux();

    public static void Trim()
    {
        // Aggressive: compacts every generation and decommits the free space, instead of keeping it for the next burst,
        // which is what a process that may sit idle for hours on a consumption plan wants.
        GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        TrimNativeHeap();
    }

    /// <summary>
    /// SQLite, OpenSSL and the runtime allocate with malloc; after a burst on many threads glibc keeps each thread's arena
    /// at its high-water mark. malloc_trim(0) returns the free pages of every arena to the OS.
    /// </summary>
    private static void TrimNativeHeap()
    {
        if (!s_mallocTrimAvailable)
        {
            return;
        }
        try
        {
            _ = MallocTrim(0);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            s_mallocTrimAvailable = false;
        }
    }

    [LibraryImport("libc.so.6", EntryPoint = "malloc_trim")]
    private static partial int MallocTrim(nuint pad);
}
