// Code generated from labs/stages.json by cmake/Stages.cmake; DO NOT EDIT.

package main

// stages is the course's stage table: stages[N] is lab N.
var stages = []stage{
	{0, "blocking-echo", "labs/00-blocking-echo", "a blocking echo server", "echo one client at a time", []string{"connection_io.cpp", "accept_loop.cpp"},
		features{false, true, false, false}, "echo"},
	{1, "fork-per-client", "labs/01-fork-per-client", "one process per client", "echo concurrently", []string{"client_processes.cpp"},
		features{true, true, false, false}, "echo"},
	{2, "flock-chat-log", "labs/02-flock-chat-log", "the chat log, guarded by flock", "chat log and history", []string{"chat_log.cpp", "client_session.cpp"},
		features{true, false, false, false}, "append"},
	{3, "sigusr1-multicast", "labs/03-sigusr1-multicast", "multicast with SIGUSR1", "live multicast", []string{"multicast.cpp"},
		features{true, false, true, false}, "chat"},
	{4, "privileges-and-auth", "labs/04-privileges-and-auth", "authentication and dropping root", "key authentication", []string{"auth_privileges.cpp"},
		features{true, false, true, true}, "chat"},
	{5, "portability", "labs/05-portability", "portability, debugged", "a dual-stack listener and lasting signal handlers", []string{"listener.cpp", "signals.cpp"},
		features{true, false, true, true}, "chat"},
	{6, "complete-server", "labs/06-complete-server", "the complete server", "a daemon with a pidfile, the whole contract", []string{"daemon.cpp"},
		features{true, false, true, true}, "chat"},
	{7, "thread-per-client", "labs/07-thread-per-client", "one thread per client", "a RECV and a SEND thread per client", []string{"client_threads.cpp"},
		features{true, false, true, true}, "chat"},
	{8, "event-loop", "labs/08-event-loop", "one event loop", "one thread, epoll and non-blocking sockets", []string{"event_loop.cpp"},
		features{true, false, true, true}, "chat"},
}

// defaultStage is what the server runs without --stage.
const defaultStage = 6
