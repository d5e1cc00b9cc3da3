import { useRef } from 'react';
import { CardArea } from '../components/CardArea';
import { DeskHeader } from '../components/DeskHeader';
import { IncomingCallBanner } from '../components/IncomingCallBanner';
import { LookupBox } from '../components/LookupBox';
import { ShortcutHints } from '../components/ShortcutHints';
import { useDeskShortcuts } from '../keyboard/use-desk-shortcuts';

export function DeskScreen() {
  const lookupInput = useRef<HTMLInputElement>(null);
  useDeskShortcuts(lookupInput);
  return (
    <div className="desk">
      <DeskHeader />
      <div className="desk-toolbar">
        <LookupBox inputRef={lookupInput} />
        <IncomingCallBanner />
        <ShortcutHints />
      </div>
      <main className="desk-main">
        <CardArea />
      </main>
    </div>
  );
}
