/** What a step has to say: to the student (`messages`) and to the staff (`staffNotes`). */
export interface Notes {
  messages: string[];
  staffNotes: string[];
}

/** A step that ends the grading: the submission gets no further, and its document says why. */
export interface Stop extends Notes {
  stop: true;
}

export const stop = (message: string): Stop => ({ stop: true, messages: [message], staffNotes: [] });
export const isStop = (x: object): x is Stop => "stop" in x;
