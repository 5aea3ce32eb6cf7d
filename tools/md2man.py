#!/usr/bin/env python3
"""md2man.py OUT NAME SECTION SUMMARY IN.md: a manual page from one of
docs/*.md, so the page and the document are one text. Knows what those
documents use: headings, paragraphs, fenced code, "- " lists, `code`,
**bold**, [links](...)."""
import re
import sys


def inline(text):
    text = text.replace('\\', '\\e')
    text = re.sub(r'\[([^\]]+)\]\([^)]+\)', r'\1', text)
    text = re.sub(r'\*\*([^*]+)\*\*', r'\\fB\1\\fR', text)
    text = re.sub(r'`([^`]+)`', r'\\fB\1\\fR', text)
    text = text.replace('-', '\\-')
    if text.startswith(('.', "'")):
        text = '\\&' + text
    return text


def verbatim(text):
    text = text.replace('\\', '\\e').replace('-', '\\-')
    if text.startswith(('.', "'")):
        text = '\\&' + text
    return text


def convert(lines, name, section, summary):
    out = ['.TH %s %s "" "piculet" "piculet manual"' % (name.upper(), section),
           '.SH NAME', '%s \\- %s' % (verbatim(name), inline(summary))]
    in_code = False
    paragraph_open = False
    first_heading = True
    for line in lines:
        line = line.rstrip('\n')
        if line.strip().startswith('```'):
            if in_code:
                out += ['.fi', '.RE']
            else:
                out += ['.PP', '.RS 2', '.nf']
            in_code = not in_code
            paragraph_open = False
            continue
        if in_code:
            out.append(verbatim(line))
            continue
        if line.startswith('# '):
            if first_heading:
                out.append('.SH DESCRIPTION')
                first_heading = False
            paragraph_open = False
            continue
        if line.startswith('## '):
            out.append('.SH ' + inline(line[3:]).upper())
            paragraph_open = False
            continue
        if line.startswith('### '):
            out.append('.SS ' + inline(line[4:]))
            paragraph_open = False
            continue
        if not line.strip():
            paragraph_open = False
            continue
        if line.startswith('- '):
            out += ['.IP \\(bu 2', inline(line[2:])]
            paragraph_open = True
            continue
        if not paragraph_open:
            out.append('.PP')
            paragraph_open = True
        out.append(inline(line.strip()))
    return '\n'.join(out) + '\n'


def main():
    out_path, name, section, summary, in_path = sys.argv[1:6]
    with open(in_path, encoding='utf-8') as source:
        page = convert(source.readlines(), name, section, summary)
    with open(out_path, 'w', encoding='utf-8') as target:
        target.write(page)


if __name__ == '__main__':
    main()
