// The runtime's inbound handlers, one module per message family. To add a message: write
// handlers/<family>.ts exporting a MessageHandler and add it to this list (issue 4 adds
// session.list_jobs and job.subscribe/job.unsubscribe this way).
import type { MessageHandler } from '../dispatch.js';
import { jobCancelHandler } from './job-cancel.js';
import { jobSubmitHandler } from './job-submit.js';
import { jobSubscribeHandler, jobUnsubscribeHandler } from './job-subscribe.js';
import { sessionAckHandler } from './session-ack.js';
import { sessionCloseHandler } from './session-close.js';
import { sessionHeartbeatHandler } from './session-heartbeat.js';
import { sessionHelloHandler } from './session-hello.js';
import { sessionListJobsHandler } from './session-list-jobs.js';
import { sessionResumeHandler } from './session-resume.js';

export const CORE_HANDLERS: readonly MessageHandler[] = [
  sessionHelloHandler,
  sessionResumeHandler,
  sessionHeartbeatHandler,
  sessionAckHandler,
  sessionCloseHandler,
  jobSubmitHandler,
  jobCancelHandler,
  sessionListJobsHandler,
  jobSubscribeHandler,
  jobUnsubscribeHandler,
];
